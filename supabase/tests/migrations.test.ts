import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
/** The schema without the migration history; grants sorted, as a re-grant appends to the list. */
const schemaWithoutHistory = (url: string) =>
  schemaDump(url, '--exclude-schema=supabase_migrations').replace(
    /(?:^GRANT .*\n)+/gm,
    (grants) => `${grants.trimEnd().split('\n').sort().join('\n')}\n`,
  );
const tables = (url: string) =>
  psql(url, [
    '-At',
    '-c',
    "select string_agg(relname, ',' order by relname) from pg_class where relkind = 'r' and relnamespace in ('public'::regnamespace)",
  ]).trim();

/** The migration that moved the speech cache to speech_answers, which keeps answers as tts sent them. */
const SPEECH_ANSWERS = '20261202030000';

/** A round trip runs the Supabase CLI twice per migration, and each start is slow on a busy runner. */
const ROUND_TRIP_TIMEOUT_MS = 240_000;

/** Applies the migrations up to `version` only, with the CLI, from a project holding just those. */
function pushMigrationsThrough(url: string, version: string) {
  const workdir = mkdtempSync(join(tmpdir(), 'migrations-'));
  try {
    mkdirSync(join(workdir, 'supabase/migrations'), { recursive: true });
    cpSync(join(REPO_ROOT, 'supabase/config.toml'), join(workdir, 'supabase/config.toml'));
    for (const file of readdirSync(join(REPO_ROOT, 'supabase/migrations'))) {
      if (file.endsWith('.sql') && file.split('_')[0]! <= version) {
        cpSync(
          join(REPO_ROOT, 'supabase/migrations', file),
          join(workdir, 'supabase/migrations', file),
        );
      }
    }
    run(join(REPO_ROOT, 'node_modules/.bin/supabase'), [
      'db',
      'push',
      '--db-url',
      url,
      '--yes',
      '--workdir',
      workdir,
    ]);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

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
      'error_reports,plan_prices,profiles,speech_answers,speech_asked,speech_cache,stripe_events,subscriptions,usage',
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
    'each down script leaves the schema its earlier migrations made, down to what the platform had',
    () => {
      const versions = migrationVersions();
      const up = schemaDump(pg.url);
      const reverted: string[] = [];
      const schemaAt = new Map<string, string>();
      for (const target of ['0', ...versions.slice(0, -1)].reverse()) {
        reverted.push(...rollbackMigrations(pg.url, target));
        schemaAt.set(target, schemaWithoutHistory(pg.url));
      }
      expect(reverted).toEqual([...versions].reverse());
      expect(appliedVersions(pg.url)).toEqual([]);
      expect(schemaDump(pg.url, '--exclude-schema=supabase_migrations')).toBe(platformOnly);

      for (const version of versions.slice(0, -1)) {
        pushMigrationsThrough(pg.url, version);
        expect(
          schemaWithoutHistory(pg.url),
          `the schema after migrating through ${version} and after reverting to it`,
        ).toBe(schemaAt.get(version));
      }
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

  it(
    'speech cached before speech_answers is kept there, as the answer tts gave, and stays for older releases',
    () => {
      const versions = migrationVersions();
      rollbackMigrations(pg.url, versions[versions.indexOf(SPEECH_ANSWERS) - 1]!);
      // Long enough that encode() breaks the base64 into lines.
      const audio = Buffer.from(Array.from({ length: 120 }, (_, i) => i));
      const words = [{ text: 'Hi', start: 0, end: 100, charStart: 0, charEnd: 2 }];
      psql(pg.url, [
        '-c',
        `insert into public.speech_cache (key, voice, speed, model_version, mime, audio, words, duration_ms)
         values (repeat('a', 64), 'af_heart', 1, 'test', 'audio/wav',
           decode('${audio.toString('base64')}', 'base64'), '${JSON.stringify(words)}', 200)`,
      ]);
      pushMigrations(pg.url);
      const answer = psql(pg.url, ['-At', '-c', 'select answer from public.speech_answers']);
      expect(JSON.parse(answer)).toEqual({
        audio: { mime: 'audio/wav', data: audio.toString('base64') },
        words,
        durationMs: 200,
      });
      expect(psql(pg.url, ['-At', '-c', 'select count(*) from public.speech_cache'])).toBe('1\n');
    },
    ROUND_TRIP_TIMEOUT_MS,
  );
});
