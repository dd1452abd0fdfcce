import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../paths';
import { loadRepo } from '../repo';
import { releaseTagsWithStartingToken as rule } from './release-tags-with-starting-token';

const RELEASE = '.github/workflows/release.yml';
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** The rule's problems on a copy of the repository whose release workflow `edit` changed. */
function checkWith(edit: (text: string) => string) {
  const root = mkdtempSync(path.join(tmpdir(), 'release-token-rule-'));
  roots.push(root);
  for (const entry of ['.github', 'package.json', 'README.md', 'infra/package.json']) {
    cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  }
  const file = path.join(root, RELEASE);
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error('the edit changed nothing');
  writeFileSync(file, after);
  return rule.check(loadRepo(root), []);
}

describe(rule.name, () => {
  it('holds: the release job tags with the release environment’s RELEASE_TOKEN', () => {
    expect(rule.check(loadRepo(), [])).toEqual([]);
  });

  it.each([
    ['secrets.GITHUB_TOKEN', 'GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}'],
    ['github.token', 'GH_TOKEN: ${{ github.token }}'],
  ])('breaks when the tag would be created with %s', (_, line) => {
    expect(
      checkWith((text) => text.replace('GH_TOKEN: ${{ secrets.RELEASE_TOKEN }}', line)),
    ).toEqual([
      'release.yml job release: uses GITHUB_TOKEN, so the tag it creates would start no deploy',
    ]);
  });

  it('breaks when GITHUB_TOKEN reaches the job some other way', () => {
    expect(
      checkWith((text) =>
        text.replace(
          '          GH_TOKEN: ${{ secrets.RELEASE_TOKEN }}',
          '          GH_TOKEN: ${{ secrets.RELEASE_TOKEN }}\n          OTHER: ${{ secrets.GITHUB_TOKEN }}',
        ),
      ),
    ).toEqual([
      'release.yml job release: uses GITHUB_TOKEN, so the tag it creates would start no deploy',
    ]);
  });

  it('breaks when the tagging step has no token of its own (gh would use whatever it finds)', () => {
    expect(
      checkWith((text) => text.replace('          GH_TOKEN: ${{ secrets.RELEASE_TOKEN }}\n', '')),
    ).toEqual([
      'release.yml job release: creates the release tag without a secret token of its own (GH_TOKEN)',
    ]);
  });

  it('breaks when no job creates the release tag', () => {
    expect(checkWith((text) => text.replace('run: npm run release', 'run: echo none'))).toEqual([
      'no job creates the release tag',
    ]);
  });
});
