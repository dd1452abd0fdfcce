import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
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

const isTestOrDoc = (file: string) => /(^|\/)tests?\/|[._]test\.[jt]sx?$|\.md$/.test(file);

/** Changes when a migration changes. */
export const migrationsHash = (supabaseDir: string) =>
  contentHash(supabaseDir, (file) => /^migrations\/.+\.sql$/.test(file));

/** Changes when a function's source, its Deno config, or config.toml changes; not for tests or docs. */
export const functionsHash = (supabaseDir: string) =>
  contentHash(
    supabaseDir,
    (file) => file === 'config.toml' || (file.startsWith('functions/') && !isTestOrDoc(file)),
  );
