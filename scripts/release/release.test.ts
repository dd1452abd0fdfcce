import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changelogSection, nextRelease, releaseOfCommit } from './release';

const repos: string[] = [];
afterEach(() => {
  for (const dir of repos.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A git repository with an npm workspace, released as v1.4.2, then `subjects` committed. */
function fixtureHistory(subjects: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'release-fixture-'));
  repos.push(dir);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', 'https://github.com/read-aloud/read-aloud.git');
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'r', private: true, workspaces: ['extension'] }),
  );
  git('add', '.');
  git('commit', '-qm', 'feat: first release');
  git('tag', 'v1.4.2');
  const shas = subjects.map((subject) => {
    git('commit', '-q', '--allow-empty', '-m', subject);
    return git('rev-parse', 'HEAD');
  });
  return { dir, shas, short: shas.map((sha) => sha.slice(0, 7)) };
}

const link = (sha: string) =>
  `([${sha.slice(0, 7)}](https://github.com/read-aloud/read-aloud/commit/${sha}))`;

describe('releases from Conventional Commits (dry run over a fixture history)', () => {
  it('a feature makes a minor release whose changelog lists features and fixes, not chores', () => {
    const { dir, shas } = fixtureHistory([
      'feat(extension): read the whole article',
      'fix(supabase): charge the quota once per request',
      'docs: say how to roll back',
      'chore(deps): bump vitest',
    ]);
    expect(nextRelease(dir)).toEqual({
      version: '1.5.0',
      notes: [
        '### Features',
        '',
        `* **extension:** read the whole article ${link(shas[0]!)}`,
        '',
        '### Bug Fixes',
        '',
        `* **supabase:** charge the quota once per request ${link(shas[1]!)}`,
      ].join('\n'),
    });
  });

  it('a hotfix from a fix/* branch is a patch release', () => {
    const { dir, shas } = fixtureHistory(['fix(tts): answer 502 when the endpoint fails']);
    expect(nextRelease(dir)).toEqual({
      version: '1.4.3',
      notes: `### Bug Fixes\n\n* **tts:** answer 502 when the endpoint fails ${link(shas[0]!)}`,
    });
  });

  it('a breaking change makes a major release and says what breaks', () => {
    const { dir } = fixtureHistory(['feat(speech)!: words carry byte offsets']);
    const next = nextRelease(dir);
    expect(next?.version).toBe('2.0.0');
    expect(next?.notes).toMatch(
      /^### ⚠ BREAKING CHANGES\n\n\* \*\*speech:\*\* words carry byte offsets/,
    );
  });

  it('releases nothing when no commit changes what users get', () => {
    const { dir } = fixtureHistory(['docs: typo', 'test: one more case', 'ci: pin an action']);
    expect(nextRelease(dir)).toBeUndefined();
  });
});

describe('a merged release pull request', () => {
  it('is recognised by its commit subject, squashed or not', () => {
    expect(releaseOfCommit('chore(release): v1.5.0')).toBe('v1.5.0');
    expect(releaseOfCommit('chore(release): v1.5.0 (#42)')).toBe('v1.5.0');
    expect(releaseOfCommit('chore(deps): v1.5.0')).toBeUndefined();
    expect(releaseOfCommit('feat: chore(release): v1.5.0')).toBeUndefined();
  });

  it('gets the notes of its version from the changelog', () => {
    const changelog = [
      '# Changelog',
      '',
      '## [1.5.0](https://x/compare/v1.4.2...v1.5.0) (2026-12-01)',
      '',
      '### Features',
      '',
      '* new',
      '',
      '### [1.4.2](https://x) (2026-11-01)',
      '',
      '* old',
    ].join('\n');
    expect(changelogSection(changelog, '1.5.0')).toBe('### Features\n\n* new');
    expect(changelogSection(changelog, '1.4.2')).toBe('* old');
    expect(changelogSection(changelog, '9.9.9')).toBeUndefined();
  });
});
