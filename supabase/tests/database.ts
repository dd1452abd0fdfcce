import postgres from 'postgres';
import { pushMigrations } from '../../scripts/local-backend/migrations';
import { startPostgres, type LocalPostgres } from '../../scripts/local-backend/postgres';
export { createUser } from '../../scripts/local-backend/users';

export type Sql = postgres.Sql;

/** initdb, migrations and three Deno processes can take a while on a busy 2-core runner. */
export const START_TIMEOUT_MS = 60_000;

/** A fresh local Postgres with every migration applied, and a superuser client to it. */
export async function migratedDatabase(): Promise<{
  pg: LocalPostgres;
  sql: Sql;
  stop(): Promise<void>;
}> {
  const pg = await startPostgres();
  pushMigrations(pg.url);
  const sql = postgres(pg.url, { max: 4, onnotice: () => {} });
  return {
    pg,
    sql,
    stop: async () => {
      await sql.end();
      await pg.stop();
    },
  };
}

export type Caller =
  { role: 'anon' } | { role: 'authenticated'; sub: string } | { role: 'service_role' };

/**
 * Runs `query` the way PostgREST runs a request: in a transaction, as the caller's role, with
 * its claims in request.jwt.claims. Always rolled back; returns the rows or the error code.
 */
export async function asCaller<T>(
  sql: Sql,
  caller: Caller,
  query: (tx: postgres.TransactionSql) => Promise<T>,
): Promise<{ rows?: T; error?: string }> {
  const rollback = new Error('rollback');
  let outcome: { rows?: T; error?: string } = {};
  try {
    await sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(caller)}, true)`;
      await tx.unsafe(`set local role ${caller.role}`);
      try {
        outcome = { rows: await query(tx) };
      } catch (error) {
        outcome = { error: (error as { code?: string }).code ?? String(error) };
      }
      throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return outcome;
}

/** What speech_cache and speech_answers rows share: the key (64 hex digits) and what made the speech. */
const speechKeyed = (key: string, lastUsedAt: Date) => ({
  key,
  voice: 'af_heart',
  speed: 1,
  model_version: 'test',
  last_used_at: lastUsedAt,
});

/** A valid speech_cache row with the given key. */
export const speechCacheRow = (key: string, lastUsedAt = new Date()) => ({
  ...speechKeyed(key, lastUsedAt),
  mime: 'audio/wav',
  audio: Buffer.from('RIFF'),
  words: [],
  duration_ms: 0,
});

/** A valid speech_answers row with the given key. */
export const speechAnswerRow = (key: string, lastUsedAt = new Date()) => ({
  ...speechKeyed(key, lastUsedAt),
  answer: '{"audio":{"mime":"audio/wav","data":"UklGRg=="},"words":[],"durationMs":0}',
});

/** A valid speech_asked row: speech first asked for at `askedAt`. */
export const speechAskedRow = (key: string, askedAt = new Date()) => ({ key, asked_at: askedAt });
