import { execFile } from 'node:child_process';
import { afterEach } from 'vitest';
import { repoRoot } from '../../paths';
import { startFakeStore, type FakeStore, type FakeStoreOptions } from './fake-chrome-web-store';

/** The prod stack file's item. */
export const PROD_ITEM = {
  publisherId: 'read-aloud-publisher',
  extensionId: 'abcdefghijklmnopabcdefghijklmnop',
};

type StoreSetup = Omit<FakeStoreOptions, keyof typeof PROD_ITEM>;

/**
 * Each call starts a fresh fake store holding PROD_ITEM, with 1.4.1 and 1.4.2 published before,
 * from `setup` and then the call's options; the store is closed after the test.
 */
export function useFakeStore(setup: StoreSetup) {
  let fake: FakeStore | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  return async (options: Partial<StoreSetup> = {}) => {
    fake = await startFakeStore({
      ...PROD_ITEM,
      history: ['1.4.1', '1.4.2'],
      ...setup,
      ...options,
    });
    return fake;
  };
}

/**
 * Runs a store program as its command resource or npm script does: a child process, settings in
 * its environment, the store's hosts sent to `store`, retries a few milliseconds apart.
 */
export function runStoreProgram(
  store: FakeStore,
  script: string,
  args: string[],
  env: Record<string, string>,
) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--import', './infra/extension/testing/store-hosts.ts', script, ...args],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH,
          FAKE_CHROME_WEB_STORE_URL: store.url,
          CWS_RETRY_DELAY_MS: '5',
          ...env,
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr }),
    );
  });
}
