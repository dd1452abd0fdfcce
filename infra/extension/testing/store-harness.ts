import { afterEach } from 'vitest';
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
