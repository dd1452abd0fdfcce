import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.cache', '.git']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (SKIPPED_DIRS.has(entry)) return [];
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** A hash of the named files' paths and contents: what a deploy depends on, nothing else. */
export function contentHash(root: string, include: (relative: string) => boolean): string {
  const hash = createHash('sha256');
  const files = filesUnder(root)
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
