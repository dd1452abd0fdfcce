import { execFileSync } from 'node:child_process';

// Chrome accepts dot-separated integers from 0 to 65535, without leading zeros.
const PART = '(?:0|[1-9][0-9]{0,4})';
// Releases have three parts: the fourth is the staging build number, and a rollback's room.
const RELEASE = `${PART}\\.${PART}\\.${PART}`;
const RELEASE_TAG = new RegExp(`^refs/tags/v(${RELEASE})$`);
const DESCRIBED = new RegExp(`^v(${RELEASE})-([0-9]+)-g[0-9a-f]+$`);
const MAX_PART = 65535;

export interface VersionInputs {
  /** The git ref being deployed (GITHUB_REF in a workflow). */
  ref: string;
  /** `git describe --tags --long --match 'v[0-9]*'` of the commit, when a release tag precedes it. */
  describe?: string;
  /** Commits reachable from the commit: the build number before the first release. */
  commitCount: number;
}

function checkParts(version: string, source: string): string {
  if (version.split('.').some((part) => Number(part) > MAX_PART)) {
    throw new Error(`${source}: each part of an extension version must be at most ${MAX_PART}`);
  }
  return version;
}

/**
 * The extension version a deploy stamps into the built manifest. A release tag `v1.2.3` gives
 * `1.2.3` (prod); any other ref (staging) gives the last release and the commits since it,
 * `1.2.3.57`: the same commit always gives the same version, a later one a higher version.
 */
export function extensionVersion({ ref, describe, commitCount }: VersionInputs): string {
  if (ref.startsWith('refs/tags/')) {
    const release = RELEASE_TAG.exec(ref)?.[1];
    if (release === undefined) {
      throw new Error(`${ref}: a release tag is vX.Y.Z, three integers without leading zeros`);
    }
    return checkParts(release, ref);
  }
  if (describe === undefined) return checkParts(`0.0.0.${commitCount}`, `commit ${commitCount}`);
  const described = DESCRIBED.exec(describe);
  if (!described) throw new Error(`${describe}: the last release tag is not vX.Y.Z`);
  return checkParts(`${described[1]}.${described[2]}`, describe);
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

/** The version of the checkout in `cwd`, for the ref a workflow names or else the current branch. */
export function checkoutVersion(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  let describe: string | undefined;
  try {
    describe = git(cwd, 'describe', '--tags', '--long', '--match', 'v[0-9]*');
  } catch {
    describe = undefined; // no release yet
  }
  return extensionVersion({
    ref: env.GITHUB_REF || `refs/heads/${git(cwd, 'rev-parse', '--abbrev-ref', 'HEAD')}`,
    describe,
    commitCount: Number(git(cwd, 'rev-list', '--count', 'HEAD')),
  });
}

/** The version this run releases: EXTENSION_VERSION when given (the plan's tests pin it), else the checkout's. */
export const releaseVersion = (cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  env.EXTENSION_VERSION || checkoutVersion(cwd, env);

if (require.main === module) {
  try {
    console.log(checkoutVersion(process.cwd()));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
