import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutVersion, extensionVersion, releaseVersion } from './version';

describe('the extension version of a deploy', () => {
  it('is the release tag without its v on prod', () => {
    expect(extensionVersion({ ref: 'refs/tags/v1.2.3', commitCount: 9 })).toBe('1.2.3');
  });

  it('is the last release and the commits since it on any other ref', () => {
    const develop = { ref: 'refs/heads/develop', commitCount: 400 };
    expect(extensionVersion({ ...develop, describe: 'v1.4.0-57-g0123abc' })).toBe('1.4.0.57');
    expect(extensionVersion({ ...develop, describe: 'v1.4.0-0-g0123abc' })).toBe('1.4.0.0');
    expect(
      extensionVersion({ ...develop, ref: 'refs/pull/7/merge', describe: 'v2.0.1-3-gabc' }),
    ).toBe('2.0.1.3');
    expect(extensionVersion(develop)).toBe('0.0.0.400');
  });

  it('refuses tags and numbers Chrome cannot take, or that leave no room for a rollback', () => {
    for (const ref of [
      'refs/tags/v1.2.3-rc.1',
      'refs/tags/v1.02.0',
      'refs/tags/v2',
      'refs/tags/v1.2.3.4',
    ]) {
      expect(() => extensionVersion({ ref, commitCount: 1 })).toThrow(/a release tag is vX.Y.Z/);
    }
    expect(() => extensionVersion({ ref: 'refs/tags/v70000.0.0', commitCount: 1 })).toThrow(
      /65535/,
    );
    expect(() =>
      extensionVersion({
        ref: 'refs/heads/develop',
        describe: 'v1.0.0-70000-gabc',
        commitCount: 1,
      }),
    ).toThrow(/65535/);
  });
});

describe('the version of a checkout', () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'version-repo-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: repo,
      encoding: 'utf8',
    });
  const commit = (n: number) => {
    writeFileSync(path.join(repo, 'file'), String(n));
    git('add', 'file');
    git('commit', '-qm', `change ${n}`);
  };
  git('init', '-q', '-b', 'develop');
  commit(1);
  commit(2);

  it('is deterministic from the commit and grows with each deploy', async () => {
    expect(await checkoutVersion(repo, {})).toBe('0.0.0.2');
    git('tag', 'v1.4.2');
    expect(await checkoutVersion(repo, {})).toBe('1.4.2.0');
    commit(3);
    commit(4);
    expect(await checkoutVersion(repo, {})).toBe('1.4.2.2');
    expect(await checkoutVersion(repo, {})).toBe('1.4.2.2');
    expect(await checkoutVersion(repo, { GITHUB_REF: 'refs/tags/v1.4.3' })).toBe('1.4.3');
  });

  it('is EXTENSION_VERSION when given', async () => {
    expect(await releaseVersion(repo, { EXTENSION_VERSION: '9.9.9' })).toBe('9.9.9');
    expect(await releaseVersion(repo, {})).toBe(await checkoutVersion(repo, {}));
  });
});
