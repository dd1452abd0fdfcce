import type { Sql } from '../_shared/db.ts';
import { log } from '../_shared/log.ts';

/** A row of public.speech_answers: the body tts answered with for the speech under `key`. */
export interface CachedAnswer {
  key: string;
  voice: string;
  speed: number;
  model_version: string;
  answer: string;
}

/** Writes `answer` to the cache; settles once it is written or the failure logged, never rejects. */
export type WriteAnswer = (answer: CachedAnswer) => Promise<void>;

/** Rows per statement: bounds a statement's size, and the statements postgres.js prepares (one per row count). */
export const MAX_ROWS_PER_WRITE = 16;

/**
 * Caches answers in batches: one insert at a time, and the answers made while it runs go together
 * in the next, so a busy instance pays one statement and one commit for many rows and an idle one
 * still writes each at once. A failure costs only later misses, so it is logged, not raised.
 */
export function createAnswerWriter(sql: Sql): WriteAnswer {
  const queued = new Map<string, { answer: CachedAnswer; written: PromiseWithResolvers<void> }>();
  let writing = false;

  const writeQueued = async () => {
    writing = true;
    while (queued.size > 0) {
      const batch = [...queued.values()].slice(0, MAX_ROWS_PER_WRITE);
      for (const { answer } of batch) queued.delete(answer.key);
      const rows = batch.map(({ answer }) => answer);
      try {
        await sql`
          insert into public.speech_answers
            ${sql(rows, 'key', 'voice', 'speed', 'model_version', 'answer')}
          on conflict (key) do update set last_used_at = now()`;
      } catch (error) {
        // The rows are alike (the key is a hash, the text was checked), so a failure is the database's.
        log('error', 'cache_store_failed', { rows: rows.length, name: (error as Error)?.name });
      }
      for (const { written } of batch) written.resolve();
    }
    writing = false;
  };

  return (answer) => {
    // Two misses for the same speech made the same answer: one row, and one insert may not hit a key twice.
    const known = queued.get(answer.key);
    if (known) return known.written.promise;
    const written = Promise.withResolvers<void>();
    queued.set(answer.key, { answer, written });
    if (!writing) void writeQueued();
    return written.promise;
  };
}
