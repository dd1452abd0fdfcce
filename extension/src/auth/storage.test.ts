import { describe, expect, it } from 'vitest';
import { memoryArea } from './memory-area';
import { chromeStorageAdapter } from './storage';

describe('chromeStorageAdapter', () => {
  it('stores, reads back and removes a value under its key', async () => {
    const area = memoryArea();
    const storage = chromeStorageAdapter(area);
    await storage.setItem('session', '{"access_token":"a"}');
    expect(await storage.getItem('session')).toBe('{"access_token":"a"}');
    expect([...area.items.keys()]).toEqual(['session']);
    await storage.removeItem('session');
    expect(await storage.getItem('session')).toBeNull();
  });

  it('answers null for a missing key and for a value that is not a string', async () => {
    const storage = chromeStorageAdapter(memoryArea({ other: { not: 'a string' } }));
    expect(await storage.getItem('missing')).toBeNull();
    expect(await storage.getItem('other')).toBeNull();
  });
});
