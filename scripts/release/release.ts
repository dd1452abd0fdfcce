import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../infra/paths';

const TOOL = path.join(repoRoot, 'node_modules/.bin/commit-and-tag-version');
const CONFIG = path.join(repoRoot, '.versionrc.json');

/** The version and changelog section the commits since the last `v*` tag make. */
export interface NextRelease {
  version: string;
  notes: string;
}

/**
 * What releasing `cwd` now would give, from its Conventional Commits since the last release tag
 * (commit-and-tag-version's dry run: it writes and commits nothing); undefined when no commit
 * is a feature, fix, performance change or revert.
 */
export function nextRelease(cwd: string): NextRelease | undefined {
  const output = execFileSync(
    TOOL,
    ['--config', CONFIG, '--dry-run', '--skip.tag', '--skip.commit'],
    { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  const section = /\n---\n([\s\S]*?)\n---\n/.exec(output)?.[1];
  const version = section && /^## \[?(\d+\.\d+\.\d+)\]?/.exec(section)?.[1];
  if (!section || !version || !/^### /m.test(section)) return undefined;
  return { version, notes: section.replace(/^.*\n+/, '').trim() };
}

/** The release a merged release pull request names in its commit's subject, if it is one. */
export function releaseOfCommit(subject: string): string | undefined {
  return /^chore\(release\): (v\d+\.\d+\.\d+)(?: \(#\d+\))?$/.exec(subject.trim())?.[1];
}

/** The section of CHANGELOG.md under the heading of `version` (without its heading). */
export function changelogSection(changelog: string, version: string): string | undefined {
  // The tool heads a release `## [1.5.0](...)`, or `### [1.4.3](...)` for some patches.
  const heading = (line: string) => /^#{2,3} \[?(\d+\.\d+\.\d+)\]?/.exec(line)?.[1];
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => heading(line) === version);
  if (start === -1) return undefined;
  const end = lines.findIndex((line, i) => i > start && heading(line) !== undefined);
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .join('\n')
    .trim();
}
