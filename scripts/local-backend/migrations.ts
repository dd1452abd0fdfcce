import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { psql } from './postgres';
import { run } from './processes';

export const REPO_ROOT = resolve(__dirname, '../..');
const SUPABASE_CLI = join(REPO_ROOT, 'node_modules/.bin/supabase');
const DOWN_DIR = join(REPO_ROOT, 'supabase/migrations-down');

/** Applies pending migrations exactly as a deploy does: `supabase db push --db-url`. */
export function pushMigrations(dbUrl: string): string {
  return run(SUPABASE_CLI, ['db', 'push', '--db-url', dbUrl, '--yes', '--workdir', REPO_ROOT]);
}

/** Migration versions in the repository, oldest first. */
export function migrationVersions(): string[] {
  return readdirSync(join(REPO_ROOT, 'supabase/migrations'))
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => file.split('_')[0] ?? file);
}

/**
 * Rolls the database back to `targetVersion` (exclusive of later ones): runs each later
 * migration's down script, newest first, and marks it reverted in the CLI's history table.
 */
export function rollbackMigrations(dbUrl: string, targetVersion: string): string[] {
  const later = migrationVersions().filter((version) => version > targetVersion);
  const downFiles = readdirSync(DOWN_DIR);
  for (const version of later.reverse()) {
    const down = downFiles.find((file) => file.startsWith(`${version}_`));
    if (!down) throw new Error(`migration ${version} has no down script in ${DOWN_DIR}`);
    psql(dbUrl, ['-1', '-f', join(DOWN_DIR, down)]);
    run(SUPABASE_CLI, [
      'migration',
      'repair',
      '--status',
      'reverted',
      version,
      '--db-url',
      dbUrl,
      '--yes',
      '--workdir',
      REPO_ROOT,
    ]);
  }
  return later;
}
