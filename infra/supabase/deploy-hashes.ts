import { contentHash, isTestOrDoc } from '../content-hash';

/** Changes when a migration changes. */
export const migrationsHash = (supabaseDir: string) =>
  contentHash(supabaseDir, (file) => /^migrations\/.+\.sql$/.test(file));

/** Changes when a function's source, its Deno config, or config.toml changes; not for tests or docs. */
export const functionsHash = (supabaseDir: string) =>
  contentHash(
    supabaseDir,
    (file) => file === 'config.toml' || (file.startsWith('functions/') && !isTestOrDoc(file)),
  );
