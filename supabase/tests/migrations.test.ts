import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  appliedVersions,
  migrationVersions,
  pushMigrations,
  rollbackMigrations,
} from '../../scripts/local-backend/migrations';
import {
  PG_BIN,
  psql,
  startPostgres,
  type LocalPostgres,
} from '../../scripts/local-backend/postgres';
import { run } from '../../scripts/local-backend/processes';
import { START_TIMEOUT_MS } from './database';

const schemaDump = (url: string, ...args: string[]) =>
  run(join(PG_BIN, 'pg_dump'), ['--schema-only', '--restrict-key=schemadump', ...args, '-d', url]);
const tables = (url: string) =>
  psql(url, [
    '-At',
    '-c',
    "select string_agg(relname, ',' order by relname) from pg_class where relkind = 'r' and relnamespace in ('public'::regnamespace)",
  ]).trim();

/** A round trip runs the Supabase CLI once per migration, and each start is slow on a busy runner. */
const ROUND_TRIP_TIMEOUT_MS = 120_000;

describe('migrations applied by the Supabase CLI', () => {
  let pg: LocalPostgres;
  let platformOnly: string;

  beforeAll(async () => {
    pg = await startPostgres();
    platformOnly = schemaDump(pg.url);
  }, START_TIMEOUT_MS);
  afterAll(() => pg?.stop());

  it('apply from scratch and record every version', () => {
    pushMigrations(pg.url);
    expect(tables(pg.url)).toBe(
      'error_reports,plan_prices,profiles,speech_cache,stripe_events,subscriptions,usage',
    );
    expect(appliedVersions(pg.url)).toEqual(migrationVersions());
  });

  it('a second push is a no-op', () => {
    const before = schemaDump(pg.url);
    expect(pushMigrations(pg.url)).toMatch(/up to date/i);
    expect(schemaDump(pg.url)).toBe(before);
    expect(appliedVersions(pg.url)).toEqual(migrationVersions());
  });

  it(
    'up -> down -> up gives the same schema, and down leaves what the platform had',
    () => {
      const up = schemaDump(pg.url);
      const reverted = rollbackMigrations(pg.url, '0');
      expect(reverted).toEqual([...migrationVersions()].reverse());
      expect(appliedVersions(pg.url)).toEqual([]);
      expect(schemaDump(pg.url, '--exclude-schema=supabase_migrations')).toBe(platformOnly);

      pushMigrations(pg.url);
      expect(schemaDump(pg.url)).toBe(up);
    },
    ROUND_TRIP_TIMEOUT_MS,
  );

  it(
    'rolls back one release at a time with npm run db:rollback',
    () => {
      const [previous, last] = migrationVersions().slice(-2);
      const rollback = (to: string) =>
        run(join(REPO_ROOT, 'node_modules/.bin/tsx'), [
          join(REPO_ROOT, 'scripts/db-rollback.ts'),
          '--db-url',
          pg.url,
          '--to',
          to,
        ]);
      expect(rollback(previous!)).toBe(`reverted ${last}\n`);
      expect(appliedVersions(pg.url)).toEqual(migrationVersions().slice(0, -1));
      expect(rollback(previous!)).toBe('nothing to revert\n');
      pushMigrations(pg.url);
      expect(appliedVersions(pg.url)).toEqual(migrationVersions());
    },
    ROUND_TRIP_TIMEOUT_MS,
  );
});
