import { execFileSync } from 'node:child_process';

// Chrome accepts one to four dot-separated integers from 0 to 65535, without leading zeros.
const PART = '(0|[1-9][0-9]{0,4})';
const RELEASE_TAG = new RegExp(`^refs/tags/v(${PART}(?:\\.${PART}){0,3})$`);
const MAX_PART = 65535;

export interface VersionInputs {
  /** The git ref the deploy runs on (GITHUB_REF). */
  ref: string;
  /** The newest v* tag reachable from the ref, if any. */
  lastTag?: string;
  /** The workflow's run number, which orders staging builds (GITHUB_RUN_NUMBER). */
  runNumber: number;
}

function checkParts(version: string, source: string): string {
  if (version.split('.').some((part) => Number(part) > MAX_PART)) {
    throw new Error(`${source}: each part of an extension version must be at most ${MAX_PART}`);
  }
  return version;
}

/**
 * The extension version a deploy stamps into the built manifest: a release tag `v1.2.3` gives
 * `1.2.3`; a branch build (staging) gives the last release plus its run number, `1.2.3.57`.
 */
export function extensionVersion({ ref, lastTag, runNumber }: VersionInputs): string {
  const release = RELEASE_TAG.exec(ref);
  if (release?.[1] !== undefined) return checkParts(release[1], ref);
  if (ref.startsWith('refs/heads/')) {
    const base = lastTag ? RELEASE_TAG.exec(`refs/tags/${lastTag}`)?.[1] : '0.0.0';
    if (base === undefined) throw new Error(`last tag ${lastTag} is not a release tag vX.Y.Z`);
    const [major = '0', minor = '0', patch = '0'] = base.split('.');
    return checkParts(`${major}.${minor}.${patch}.${runNumber}`, `run ${runNumber} of ${ref}`);
  }
  throw new Error(
    `${ref}: the extension is released from a tag vX.Y.Z (up to four numbers) or a branch`,
  );
}

function lastReleaseTag(): string | undefined {
  try {
    return execFileSync('git', ['describe', '--tags', '--abbrev=0', '--match', 'v[0-9]*'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined; // no release yet
  }
}

if (require.main === module) {
  try {
    console.log(
      extensionVersion({
        ref: process.env.GITHUB_REF ?? '',
        lastTag: lastReleaseTag(),
        runNumber: Number(process.env.GITHUB_RUN_NUMBER ?? 0),
      }),
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
