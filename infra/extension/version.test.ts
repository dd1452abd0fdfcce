import { describe, expect, it } from 'vitest';
import { extensionVersion } from './extension-version';

describe('the extension version of a deploy', () => {
  it('is the release tag without its v', () => {
    expect(extensionVersion({ ref: 'refs/tags/v1.2.3', runNumber: 9 })).toBe('1.2.3');
    expect(extensionVersion({ ref: 'refs/tags/v2', runNumber: 9 })).toBe('2');
  });

  it('is the last release plus the run number on a branch', () => {
    expect(extensionVersion({ ref: 'refs/heads/develop', lastTag: 'v1.4.0', runNumber: 57 })).toBe(
      '1.4.0.57',
    );
    expect(extensionVersion({ ref: 'refs/heads/develop', lastTag: 'v3', runNumber: 1 })).toBe(
      '3.0.0.1',
    );
    expect(extensionVersion({ ref: 'refs/heads/develop', runNumber: 4 })).toBe('0.0.0.4');
  });

  it('refuses refs and numbers Chrome cannot take', () => {
    expect(() => extensionVersion({ ref: 'refs/pull/7/merge', runNumber: 1 })).toThrow(
      /refs\/pull\/7\/merge: the extension is released from a tag/,
    );
    expect(() => extensionVersion({ ref: 'refs/tags/v1.2.3-rc.1', runNumber: 1 })).toThrow();
    expect(() => extensionVersion({ ref: 'refs/tags/v1.02', runNumber: 1 })).toThrow();
    expect(() => extensionVersion({ ref: 'refs/tags/v70000', runNumber: 1 })).toThrow(/65535/);
    expect(() =>
      extensionVersion({ ref: 'refs/heads/develop', lastTag: 'v1.0.0', runNumber: 70000 }),
    ).toThrow(/65535/);
  });
});
