import { afterEach, describe, expect, it } from 'vitest';
import { compareVersions, readStoreStatus } from './store';
import { startFakeStore, type FakeStore } from './testing/fake-chrome-web-store';
import { redirectStoreHosts } from './testing/store-hosts';

const ITEM = { publisherId: 'pub', extensionId: 'abcdefghijklmnopabcdefghijklmnop' };
const CREDENTIALS = { clientId: 'id', clientSecret: 'secret', refreshToken: 'refresh' };

let fake: FakeStore | undefined;
let undo: (() => void) | undefined;
afterEach(async () => {
  undo?.();
  await fake?.close();
  undo = undefined;
  fake = undefined;
});

describe('the store status reader', () => {
  it("returns the item's published and submitted versions and states", async () => {
    fake = await startFakeStore({
      ...ITEM,
      ...CREDENTIALS,
      published: { state: 'PUBLISHED', version: '1.4.2', deployPercentage: 20 },
      submitted: { state: 'PENDING_REVIEW', version: '1.4.3' },
    });
    undo = redirectStoreHosts(fake.url);
    expect(await readStoreStatus({ ...ITEM, ...CREDENTIALS })).toEqual({
      published: { state: 'PUBLISHED', version: '1.4.2', deployPercentage: 20 },
      submitted: { state: 'PENDING_REVIEW', version: '1.4.3', deployPercentage: 100 },
      takenDown: false,
      lastUploadState: 'NOT_FOUND',
    });
  });

  it('reports a never-published item as having no revisions', async () => {
    fake = await startFakeStore({ ...ITEM, ...CREDENTIALS });
    undo = redirectStoreHosts(fake.url);
    const status = await readStoreStatus({ ...ITEM, ...CREDENTIALS });
    expect(status.published).toBeUndefined();
    expect(status.submitted).toBeUndefined();
  });
});

describe('version order', () => {
  it('compares part by part, a missing part counting as 0', () => {
    expect(compareVersions('1.4.3', '1.4.2.9')).toBe(1);
    expect(compareVersions('1.4.2', '1.4.2.0')).toBe(0);
    expect(compareVersions('1.10', '1.9.9')).toBe(1);
    expect(compareVersions('0.9', '1')).toBe(-1);
  });
});
