import { execFileSync } from 'node:child_process';
import { fullKey } from '../config';
import { readStackFile } from '../plan/stack-file';
import type { StoreCredentials, StoreItem } from './store';

export class UsageError extends Error {}

export const CREDENTIAL_KEYS: Record<keyof StoreCredentials, [string, string]> = {
  clientId: ['CWS_CLIENT_ID', 'chromeClientId'],
  clientSecret: ['CWS_CLIENT_SECRET', 'chromeClientSecret'],
  refreshToken: ['CWS_REFRESH_TOKEN', 'chromeRefreshToken'],
};

/** Each credential from the environment, or from the stack's secret config through the CLI. */
export function stackStoreCredentials(stack: string, env: NodeJS.ProcessEnv): StoreCredentials {
  const entries = Object.entries(CREDENTIAL_KEYS).map(([field, [variable, key]]) => {
    if (env[variable]) return [field, env[variable]];
    const args = ['config', 'get', fullKey(key), '--stack', stack];
    try {
      return [field, execFileSync('pulumi', args, { encoding: 'utf8', stdio: 'pipe', env }).trim()];
    } catch {
      throw new UsageError(`${variable} is not set, and \`pulumi ${args.join(' ')}\` failed`);
    }
  });
  return Object.fromEntries(entries) as unknown as StoreCredentials;
}

/** The stack's store item, from its stack file. */
export function stackStoreItem(stack: string): StoreItem {
  const { values } = readStackFile(stack);
  const extensionId = values[fullKey('chromeExtensionId')];
  const publisherId = values[fullKey('chromePublisherId')];
  if (!extensionId || !publisherId) {
    throw new UsageError(`stack ${stack} declares no chromeExtensionId or chromePublisherId`);
  }
  return { extensionId, publisherId };
}
