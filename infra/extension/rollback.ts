import { parseArgs } from 'node:util';
import { redact } from '../redact';
import { CREDENTIAL_KEYS, stackStoreCredentials, stackStoreItem, UsageError } from './stack-store';
import { rollBack, StoreError, storeClient } from './store';

const USAGE = `usage: npm run extension:rollback -- --stack STACK --to VERSION [--new-version VERSION] [--reason TEXT] [--validate-only]
Republishes the store package of VERSION (published before) under a version higher than the one
published now (default: that version with its last part raised, or .1 appended), with no new review.
The credentials come from CWS_CLIENT_ID, CWS_CLIENT_SECRET and CWS_REFRESH_TOKEN, or else from the
stack's secrets (\`pulumi config get\`, which needs PULUMI_CONFIG_PASSPHRASE and a logged-in backend).`;

const VERSION = /^\d+(\.\d+){0,3}$/;

/** The lowest version above `published` that keeps its release numbers: 1.4.3 -> 1.4.3.1, 1.4.3.1 -> 1.4.3.2. */
export function nextVersion(published: string): string {
  const parts = published.split('.').map(Number);
  if (parts.length < 4) return `${published}.1`;
  parts[3] = (parts[3] ?? 0) + 1;
  return parts.join('.');
}

export async function rollbackExtension(argv: string[], env: NodeJS.ProcessEnv, log = console.log) {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string' },
      to: { type: 'string' },
      'new-version': { type: 'string' },
      reason: { type: 'string', default: 'rollback' },
      'validate-only': { type: 'boolean', default: false },
    },
  });
  const { stack, to } = values;
  if (!stack || !to || !VERSION.test(to)) throw new UsageError(USAGE);
  if (values['new-version'] !== undefined && !VERSION.test(values['new-version'])) {
    throw new UsageError(`--new-version must be 1 to 4 dot-separated integers\n${USAGE}`);
  }
  const item = stackStoreItem(stack);
  const store = storeClient({
    ...item,
    ...stackStoreCredentials(stack, env),
    retryDelayMs: env.CWS_RETRY_DELAY_MS ? Number(env.CWS_RETRY_DELAY_MS) : undefined,
  });
  const { published } = await store.status();
  if (published?.version === undefined) {
    throw new StoreError(`item ${item.extensionId} has no published version to roll back from`);
  }
  const newVersion = values['new-version'] ?? nextVersion(published.version);
  const validateOnly = values['validate-only'];
  await rollBack(store, item, {
    targetVersion: to,
    newVersion,
    reason: values.reason,
    validateOnly,
  });
  log(
    validateOnly
      ? `validated: the store would republish ${to} as ${newVersion} over ${published.version} (nothing changed)`
      : `rolled back item ${item.extensionId}: the package of ${to} is published as ${newVersion} (was ${published.version})`,
  );
  return store;
}

if (require.main === module) {
  const secrets = Object.values(CREDENTIAL_KEYS).map(([variable]) => process.env[variable]);
  rollbackExtension(process.argv.slice(2), process.env).catch((error: unknown) => {
    console.error(redact(error instanceof Error ? error.message : String(error), secrets));
    process.exitCode = error instanceof UsageError ? 2 : 1;
  });
}
