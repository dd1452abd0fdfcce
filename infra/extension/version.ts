import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

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

const execGit = promisify(execFile);
const git = async (cwd: string, ...args: string[]) =>
  (await execGit('git', args, { cwd, encoding: 'utf8' })).stdout.trim();

/** The version of the checkout in `cwd`, for the ref a workflow names or else the current branch. */
export async function checkoutVersion(
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  // Side by side: each git start costs more than its answer.
  const [describe, branch, commitCount] = await Promise.all([
    git(cwd, 'describe', '--tags', '--long', '--match', 'v[0-9]*').catch(() => undefined), // no release yet
    env.GITHUB_REF ? undefined : git(cwd, 'rev-parse', '--abbrev-ref', 'HEAD'),
    git(cwd, 'rev-list', '--count', 'HEAD'),
  ]);
  return extensionVersion({
    ref: env.GITHUB_REF || `refs/heads/${branch}`,
    describe,
    commitCount: Number(commitCount),
  });
}

/** The version this run releases: EXTENSION_VERSION when given (the plan's tests pin it), else the checkout's. */
export const releaseVersion = async (cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  env.EXTENSION_VERSION || checkoutVersion(cwd, env);

if (require.main === module) {
  checkoutVersion(process.cwd()).then(
    (version) => console.log(version),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
