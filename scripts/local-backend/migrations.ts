import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MIGRATIONS_COMMAND } from '../../infra/supabase/commands';
import { psql } from './postgres';
import { run } from './processes';

export const REPO_ROOT = resolve(__dirname, '../..');
const SUPABASE_CLI = join(REPO_ROOT, 'node_modules/.bin/supabase');
const MIGRATIONS_DIR = join(REPO_ROOT, 'supabase/migrations');
const DOWN_DIR = join(REPO_ROOT, 'supabase/migrations-down');

// A down script that needs a function back as an earlier migration defined it names that migration
// instead of copying the body, so each body is written once.
const RESTORE_LINE = /^-- restore function (\S+) from (\S+\.sql)$/gm;
const regExpEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A down script as it runs: each `-- restore function NAME from MIGRATION.sql` line becomes that
 * migration's last definition of NAME, as `create or replace`.
 */
export function expandDownScript(sql: string, readMigration: (file: string) => string): string {
  return sql.replace(RESTORE_LINE, (_line, name: string, file: string) => {
    const definition = new RegExp(
      `^create (?:or replace )?function ${regExpEscape(name)}\\([^]*?\\$\\$[^]*?\\$\\$;`,
      'gm',
    );
    const last = [...readMigration(file).matchAll(definition)].at(-1)?.[0];
    if (!last) throw new Error(`${file} defines no function ${name}`);
    return last.replace(/^create (?:or replace )?function/, 'create or replace function');
  });
}

/** Applies pending migrations with the very command a deploy runs. */
export function pushMigrations(dbUrl: string): string {
  return run('/bin/sh', ['-c', MIGRATIONS_COMMAND], {
    cwd: REPO_ROOT,
    env: { ...process.env, SUPABASE_DB_URL: dbUrl },
  });
}

/** Migration versions in the repository, oldest first. */
export function migrationVersions(): string[] {
  return readdirSync(MIGRATIONS_DIR)
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
    const sql = expandDownScript(readFileSync(join(DOWN_DIR, down), 'utf8'), (file) =>
      readFileSync(join(MIGRATIONS_DIR, file), 'utf8'),
    );
    psql(dbUrl, ['-1', '-c', sql]);
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
