import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.cache', '.git']);

/** `at` if it is a file, else every file under it. */
function filesUnder(at: string): string[] {
  if (!statSync(at).isDirectory()) return [at];
  return readdirSync(at).flatMap((entry) =>
    SKIPPED_DIRS.has(entry) ? [] : filesUnder(path.join(at, entry)),
  );
}

/**
 * A hash of the named files' paths and contents: what a deploy depends on, nothing else.
 * `within` (paths from `root`) limits the walk to where `include` can match; missing ones are skipped.
 */
export function contentHash(
  root: string,
  include: (relative: string) => boolean,
  within?: string[],
): string {
  const hash = createHash('sha256');
  const starts =
    within === undefined ? [root] : within.map((p) => path.join(root, p)).filter(existsSync);
  const files = starts
    .flatMap((start) => filesUnder(start))
    .map((file) => path.relative(root, file).split(path.sep).join('/'))
    .filter(include)
    .sort();
  for (const file of files) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(root, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

/** Test files and docs, which no deploy ships. */
export const isTestOrDoc = (file: string) =>
  /(^|\/)(tests?|testing|bench)\/|[._]test\.[jt]sx?$|\.md$/.test(file);
