import type { StorageArea } from './storage';

/** A `chrome.storage` area in memory, for tests: the same promise API, values copied as Chrome does. */
export function memoryArea(
  initial: Record<string, unknown> = {},
): StorageArea & { items: Map<string, unknown> } {
  const items = new Map(Object.entries(initial));
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    items,
    get: (async (keys?: string | string[] | null) => {
      const wanted = keys === undefined || keys === null ? [...items.keys()] : [keys].flat();
      return Object.fromEntries(
        wanted.filter((key) => items.has(key)).map((key) => [key, copy(items.get(key))]),
      );
    }) as StorageArea['get'],
    set: (async (values: Record<string, unknown>) => {
      for (const [key, value] of Object.entries(values)) items.set(key, copy(value));
    }) as StorageArea['set'],
    remove: (async (keys: string | string[]) => {
      for (const key of [keys].flat()) items.delete(key);
    }) as StorageArea['remove'],
  };
}
