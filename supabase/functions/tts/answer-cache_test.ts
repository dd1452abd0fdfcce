import assert from 'node:assert/strict';
import type { Sql } from '../_shared/db.ts';
import { type CachedAnswer, createAnswerWriter, MAX_ROWS_PER_WRITE } from './answer-cache.ts';

/** A database that records each insert's rows and holds it until the test lets it go. */
function heldDb() {
  const inserts: { keys: string[]; finish(failure?: Error): void }[] = [];
  const sql = (first: TemplateStringsArray | CachedAnswer[], ...values: unknown[]) => {
    // sql(rows, ...columns) builds the VALUES list the insert's template then carries.
    if (!('raw' in first)) return { rows: first };
    assert.match(first.join('?'), /insert into public\.speech_answers/);
    const { rows } = values[0] as { rows: CachedAnswer[] };
    return new Promise((resolve, reject) =>
      inserts.push({
        keys: rows.map((row) => row.key),
        finish: (failure) => (failure ? reject(failure) : resolve([])),
      })
    );
  };
  return { sql: sql as unknown as Sql, inserts };
}

const answer = (key: string): CachedAnswer => ({
  key,
  voice: 'af_heart',
  speed: 1,
  model_version: 'kokoro-82m-v1.0',
  answer: `{"speech":"${key}"}`,
});

/** Whether `promise` has settled, after the microtasks now queued have run. */
async function settled(promise: Promise<unknown>) {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return done;
}

Deno.test('an idle writer sends an answer at once, in a statement of its own', async () => {
  const db = heldDb();
  const written = createAnswerWriter(db.sql)(answer('a'));
  assert.deepEqual(db.inserts.map((insert) => insert.keys), [['a']]);
  assert.equal(await settled(written), false, 'settled before its row was written');
  db.inserts[0]!.finish();
  assert.equal(await settled(written), true);
});

Deno.test('answers made while a write runs go together in the next, each settling with its row', async () => {
  const db = heldDb();
  const write = createAnswerWriter(db.sql);
  const first = write(answer('a'));
  const later = [write(answer('b')), write(answer('c'))];
  assert.deepEqual(db.inserts.map((insert) => insert.keys), [['a']], 'one statement at a time');
  db.inserts[0]!.finish();
  assert.equal(await settled(first), true);
  assert.deepEqual(db.inserts.map((insert) => insert.keys), [['a'], ['b', 'c']]);
  assert.equal(await settled(Promise.race(later)), false);
  db.inserts[1]!.finish();
  assert.equal(await settled(Promise.all(later)), true);
});

Deno.test('the same speech queued twice is one row, and both callers learn when it is written', async () => {
  const db = heldDb();
  const write = createAnswerWriter(db.sql);
  void write(answer('a'));
  const twice = [write(answer('b')), write(answer('b'))];
  db.inserts[0]!.finish();
  await settled(Promise.all(twice));
  assert.deepEqual(db.inserts.map((insert) => insert.keys), [['a'], ['b']]);
  db.inserts[1]!.finish();
  assert.equal(await settled(Promise.all(twice)), true);
});

Deno.test(`a statement carries at most ${MAX_ROWS_PER_WRITE} rows; the rest go in the next`, async () => {
  const db = heldDb();
  const write = createAnswerWriter(db.sql);
  const keys = Array.from({ length: MAX_ROWS_PER_WRITE + 3 }, (_, i) => `k${i}`);
  const all = Promise.all(keys.map((key) => write(answer(key))));
  for (const insert of [0, 1]) {
    db.inserts[insert]!.finish();
    await settled(all);
  }
  assert.deepEqual(db.inserts.map((insert) => insert.keys), [
    ['k0'],
    keys.slice(1, MAX_ROWS_PER_WRITE + 1),
    keys.slice(MAX_ROWS_PER_WRITE + 1),
  ]);
  db.inserts[2]!.finish();
  assert.equal(await settled(all), true);
});

Deno.test('a failed write is logged with its row count, settles its answers, and the next still runs', async () => {
  const db = heldDb();
  const write = createAnswerWriter(db.sql);
  const logged: string[] = [];
  const originalError = console.error;
  console.error = (line: string) => logged.push(line);
  try {
    void write(answer('a'));
    const failing = [write(answer('b')), write(answer('c'))];
    db.inserts[0]!.finish();
    await settled(Promise.all(failing));
    db.inserts[1]!.finish(Object.assign(new Error('disk full'), { name: 'PostgresError' }));
    assert.equal(await settled(Promise.all(failing)), true, 'a failure never reaches the caller');
    assert.deepEqual(logged.map((line) => JSON.parse(line)), [
      { level: 'error', event: 'cache_store_failed', rows: 2, name: 'PostgresError' },
    ]);
    const next = write(answer('d'));
    assert.deepEqual(db.inserts.at(-1)!.keys, ['d']);
    db.inserts.at(-1)!.finish();
    assert.equal(await settled(next), true);
  } finally {
    console.error = originalError;
  }
});
