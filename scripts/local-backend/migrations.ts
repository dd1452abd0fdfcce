import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MIGRATIONS_COMMAND } from '../../infra/supabase/commands';
import { psql } from './postgres';
import { run } from './processes';

export const REPO_ROOT = resolve(__dirname, '../..');
const SUPABASE_CLI = join(REPO_ROOT, 'node_modules/.bin/supabase');
const DOWN_DIR = join(REPO_ROOT, 'supabase/migrations-down');

/** Applies pending migrations with the very command a deploy runs. */
export function pushMigrations(dbUrl: string): string {
  return run('/bin/sh', ['-c', MIGRATIONS_COMMAND], {
    cwd: REPO_ROOT,
    env: { ...process.env, SUPABASE_DB_URL: dbUrl },
  });
}

/** Migration versions in the repository, oldest first. */
export function migrationVersions(): string[] {
  return readdirSync(join(REPO_ROOT, 'supabase/migrations'))
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => file.split('_')[0] ?? file);
}

/** Versions the CLI's history table records as applied, oldest first. */
export function appliedVersions(dbUrl: string): string[] {
  const out = psql(dbUrl, [
    '-At',
    '-c',
    'select version from supabase_migrations.schema_migrations order by version',
  ]);
  return out.split('\n').filter(Boolean);
}

/**
 * Rolls the database back to `targetVersion`: runs the down script of each applied migration
 * after it, newest first, and marks it reverted in the CLI's history table.
 */
export function rollbackMigrations(dbUrl: string, targetVersion: string): string[] {
  const later = appliedVersions(dbUrl)
    .filter((version) => version > targetVersion)
    .reverse();
  const downFiles = readdirSync(DOWN_DIR);
  for (const version of later) {
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
