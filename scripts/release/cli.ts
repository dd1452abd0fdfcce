import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../../infra/paths';
import { changelogSection, nextRelease, releaseOfCommit } from './release';

// `npm run release` on main: a merged release pull request becomes the tag and GitHub release
// vX.Y.Z (which starts deploy-production); otherwise the release pull request is opened or
// updated with the next version's changelog. `-- --dry-run` only prints that version and changelog.
// GH_TOKEN must not be GITHUB_TOKEN: a tag it creates starts no workflow.
const RELEASE_BRANCH = 'release/next';

const run = (file: string, args: string[]) =>
  execFileSync(file, args, { cwd: repoRoot, encoding: 'utf8' }).trim();
const gh = (...args: string[]) => run('gh', args);

function publish(tag: string) {
  if (run('git', ['tag', '--list', tag]) !== '') {
    console.log(`${tag} is already released`);
    return;
  }
  const changelog = readFileSync(path.join(repoRoot, 'CHANGELOG.md'), 'utf8');
  const notes = changelogSection(changelog, tag.slice(1));
  if (notes === undefined) throw new Error(`CHANGELOG.md has no section for ${tag.slice(1)}`);
  const sha = run('git', ['rev-parse', 'HEAD']);
  gh('release', 'create', tag, '--target', sha, '--title', tag, '--notes', notes);
  console.log(`released ${tag} at ${sha}`);
}

function proposeRelease() {
  const next = nextRelease(repoRoot);
  if (next === undefined) {
    console.log('no feature, fix, performance change or revert since the last release');
    return;
  }
  const title = `chore(release): v${next.version}`;
  run('git', ['switch', '-C', RELEASE_BRANCH]);
  run(path.join(repoRoot, 'node_modules/.bin/commit-and-tag-version'), [
    '--config',
    '.versionrc.json',
    '--skip.tag',
  ]);
  gh('auth', 'setup-git');
  run('git', ['push', '--force', 'origin', RELEASE_BRANCH]);
  const open = gh(
    'pr',
    'list',
    '--head',
    RELEASE_BRANCH,
    '--state',
    'open',
    '--json',
    'number',
    '--jq',
    '.[].number',
  );
  const body = `Merging this releases v${next.version} and deploys it to prod.\n\n${next.notes}`;
  if (open === '') {
    gh(
      'pr',
      'create',
      '--base',
      'main',
      '--head',
      RELEASE_BRANCH,
      '--title',
      title,
      '--body',
      body,
    );
  } else {
    gh('pr', 'edit', open, '--title', title, '--body', body);
  }
  console.log(`release pull request for v${next.version} is up to date`);
}

const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } });
try {
  if (values['dry-run']) {
    const next = nextRelease(repoRoot);
    console.log(next ? `v${next.version}\n\n${next.notes}` : 'nothing to release');
  } else {
    const tag = releaseOfCommit(run('git', ['log', '-1', '--format=%s']));
    if (tag !== undefined) publish(tag);
    else proposeRelease();
  }
} catch (error) {
  console.error(`release failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
