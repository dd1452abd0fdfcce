/** The part of a `chrome.storage` area the adapter uses. */
export type StorageArea = Pick<chrome.storage.StorageArea, 'get' | 'set' | 'remove'>;

/** supabase-js's async storage interface over a `chrome.storage` area (service workers have no localStorage). */
export function chromeStorageAdapter(area: StorageArea) {
  return {
    async getItem(key: string): Promise<string | null> {
      const value = (await area.get(key))[key];
      return typeof value === 'string' ? value : null;
    },
    async setItem(key: string, value: string): Promise<void> {
      await area.set({ [key]: value });
    },
    async removeItem(key: string): Promise<void> {
      await area.remove(key);
    },
  };
}
