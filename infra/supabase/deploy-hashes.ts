import { createHash } from 'node:crypto';
import path from 'node:path';
import { contentHash, isTestOrDoc } from '../content-hash';

/** Changes when a migration changes. */
export const migrationsHash = (supabaseDir: string) =>
  contentHash(supabaseDir, (file) => /^migrations\/.+\.sql$/.test(file), ['migrations']);

/**
 * Changes when a function's source, its Deno config, config.toml or the speech contract the
 * functions import (`../speech`, beside the supabase folder) changes; not for tests or docs.
 */
export const functionsHash = (supabaseDir: string) =>
  createHash('sha256')
    .update(
      contentHash(
        supabaseDir,
        (file) => file === 'config.toml' || (file.startsWith('functions/') && !isTestOrDoc(file)),
        ['config.toml', 'functions'],
      ),
    )
    .update(contentHash(path.join(supabaseDir, '..', 'speech'), (file) => !isTestOrDoc(file)))
    .digest('hex');
