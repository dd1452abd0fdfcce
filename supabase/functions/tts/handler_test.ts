import assert from 'node:assert/strict';
import { createCallerVerifier } from '../_shared/auth.ts';
import type { Sql } from '../_shared/db.ts';
import {
  DEFAULT_VOICE,
  MAX_TEXT_CHARS,
  type Speech,
  type SpeechLimits,
  type SpeechRequest,
} from './speech.ts';
import { errorOf, post, signingKey, SUPABASE_URL, untouchedDb } from '../testing/helpers.ts';
import { createTtsHandler } from './handler.ts';

const key = await signingKey();
const limits = { maxTextChars: MAX_TEXT_CHARS, defaultVoice: DEFAULT_VOICE };
const handler = createTtsHandler({
  verifyCaller: createCallerVerifier({ jwks: key.jwks, supabaseUrl: SUPABASE_URL }),
  sql: untouchedDb,
  synthesise: () => Promise.reject(new Error('the speech endpoint was called')),
  limits,
});
const token = await key.sign();
const tts = (
  body: string,
  headers: Record<string, string> = { authorization: `Bearer ${token}` },
) => handler(post('tts', body, headers)).then(errorOf);

Deno.test('rejected before the database or the endpoint: no token, bad token', async () => {
  assert.deepEqual((await tts('{"text":"hi"}', {})).status, 401);
  assert.deepEqual(
    (await tts('{"text":"hi"}', { authorization: 'Bearer x.y.z' })).code,
    'invalid_token',
  );
});

Deno.test('bad input gets 400 or 413 and a message naming the field', async () => {
  const cases: [string, number, string, RegExp][] = [
    ['{"text":', 400, 'invalid_json', /JSON/],
    ['["hi"]', 400, 'invalid_body', /object/],
    ['{"text":"   "}', 400, 'empty_text', /`text`/],
    ['{"voice":"af_heart"}', 400, 'empty_text', /`text`/],
    [JSON.stringify({ text: 'a'.repeat(MAX_TEXT_CHARS + 1) }), 413, 'text_too_long', /5000/],
    ['{"text":"hi","voice":"robot"}', 400, 'unknown_voice', /af_heart/],
    ['{"text":"hi","speed":3}', 400, 'invalid_speed', /0.5 to 2/],
    ['{"text":"hi","speed":"fast"}', 400, 'invalid_speed', /`speed`/],
    // Text Postgres cannot cache, and text with nothing to read, are refused before any charge.
    [JSON.stringify({ text: 'Read\u0000me' }), 400, 'invalid_text', /NUL/],
    ['{"text":"Read \\ud800 me"}', 400, 'invalid_text', /unpaired surrogate/],
    ['{"text":"Read me \\udc00"}', 400, 'invalid_text', /unpaired surrogate/],
    [
      JSON.stringify({ text: '\u200b\u200c\u200d\u2060\ufeff \u200b' }),
      400,
      'empty_text',
      /nothing to read/,
    ],
  ];
  for (const [body, status, code, message] of cases) {
    const error = await tts(body);
    assert.equal(error.status, status, body.slice(0, 40));
    assert.equal(error.code, code);
    assert.match(error.message, message);
  }
});

Deno.test('a body beyond 64 KiB is refused unread', async () => {
  const error = await tts(JSON.stringify({ text: 'é'.repeat(40_000) }));
  assert.deepEqual([error.status, error.code], [413, 'payload_too_large']);
});

Deno.test('only POST', async () => {
  const response = await handler(new Request(`${SUPABASE_URL}/functions/v1/tts`));
  assert.equal(response.status, 405);
  assert.equal(response.headers.get('allow'), 'POST');
  await response.body?.cancel();
});

/**
 * A database that answers the charge-and-look-up statement with `cached` (the cache row, or
 * nothing) and `charged`, notes each key a miss asks for as asked, as speech_asked does, and holds
 * each cache write until the test lets it go, recording the order of statements and whether each
 * look-up asked for the speech.
 */
function scriptedDb(
  cached: () => Record<string, unknown> | undefined,
  charged: () => boolean = () => true,
) {
  const statements: string[] = [];
  const askedForSpeech: boolean[] = [];
  const writes: { finish(failure?: Error): void }[] = [];
  const asked = new Set<unknown>();
  const sql = (strings: TemplateStringsArray, ...values: unknown[]) => {
    const text = strings.join('?');
    if (text.includes('insert into public.speech_answers')) {
      statements.push('store');
      return new Promise((resolve, reject) =>
        writes.push({ finish: (failure) => (failure ? reject(failure) : resolve([])) })
      );
    }
    statements.push('charge');
    // The statement's one boolean says whether this instance holds the speech already.
    const held = values.find((value) => typeof value === 'boolean') === true;
    askedForSpeech.push(!held);
    const key = values.find((value) => /^[0-9a-f]{64}$/.test(String(value)));
    const row = charged() ? cached() : undefined;
    const askedBefore = asked.has(key);
    if (charged() && !row) asked.add(key);
    const hit = row
      ? { hit: true, ...row, ...(held ? { answer: null } : {}) }
      : { hit: false, askedBefore };
    return Promise.resolve([{ known: true, charged: charged(), month: '2026-11-01', ...hit }]);
  };
  return {
    sql: Object.assign(sql, { json: (value: unknown) => value }) as unknown as Sql,
    statements,
    askedForSpeech,
    writes,
  };
}

/** Waits for the answer and drops its body; a cache write it starts is then under way. */
async function answered(response: Promise<Response>) {
  await (await response).body?.cancel();
  await aTurn();
}

/** The cache write starts a turn of the event loop after the answer. */
const aTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

const speech: Speech = {
  audio: { mime: 'audio/wav', data: 'UklGRg==' },
  words: [{ text: 'Hello', start: 0, end: 100, charStart: 0, charEnd: 5 }],
  durationMs: 200,
};
/** The cache row as the look-up returns it: the answer tts gave when it made the speech. */
const cacheRow = { answer: JSON.stringify(speech) };
const ttsWith = (
  db: ReturnType<typeof scriptedDb>,
  { recentChars, stackLimits = limits }: { recentChars?: number; stackLimits?: SpeechLimits } = {},
) => {
  const endpointCalls: SpeechRequest[] = [];
  const handler = createTtsHandler({
    verifyCaller: createCallerVerifier({ jwks: key.jwks, supabaseUrl: SUPABASE_URL }),
    sql: db.sql,
    synthesise: (request) => {
      endpointCalls.push(request);
      return Promise.resolve(speech);
    },
    limits: stackLimits,
    recentChars,
  });
  const ask = (text = 'Hello') =>
    handler(post('tts', JSON.stringify({ text }), { authorization: `Bearer ${token}` }));
  return { ask, endpointCalls };
};

Deno.test('speech asked for the first time is answered, and neither cached nor kept', async () => {
  const db = scriptedDb(() => undefined);
  const { ask, endpointCalls } = ttsWith(db);
  const first = await ask();
  assert.deepEqual(await first.json(), speech);
  await aTurn();
  assert.deepEqual([db.statements, endpointCalls.length], [['charge'], 1]);
  await answered(ask('Something else'));
  assert.deepEqual(db.statements, ['charge', 'charge'], 'nothing was stored');
  await answered(ask());
  assert.deepEqual(db.askedForSpeech, [true, true, true], 'this instance kept nothing');
});

Deno.test('a second request is answered before its cache write starts, and a repeat waits for that write', async () => {
  let stored = false;
  const db = scriptedDb(() => stored ? cacheRow : undefined);
  const { ask, endpointCalls } = ttsWith(db);
  await answered(ask());

  const second = await ask();
  assert.equal(second.status, 200);
  assert.deepEqual(
    db.statements,
    ['charge', 'charge'],
    'the write began before the answer was out',
  );
  assert.deepEqual(await second.json(), speech);
  await aTurn();
  assert.deepEqual(db.statements, ['charge', 'charge', 'store']);

  const repeat = ask();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(
    db.statements,
    ['charge', 'charge', 'store'],
    'the repeat looked up before the write ended',
  );
  stored = true;
  db.writes[0]!.finish();
  const third = await repeat;
  assert.deepEqual(await third.json(), speech, 'a cache hit looks like new speech');
  assert.equal(endpointCalls.length, 2);
  assert.deepEqual(
    db.askedForSpeech,
    [true, true, false],
    'only the repeat of cached speech came from this instance',
  );
});

Deno.test('speech one instance was asked for is cached by the next instance asked', async () => {
  const db = scriptedDb(() => undefined);
  await answered(ttsWith(db).ask());
  const other = ttsWith(db);
  await answered(other.ask());
  assert.deepEqual([db.statements, other.endpointCalls.length], [['charge', 'charge', 'store'], 1]);
});

Deno.test('a hit this instance never answered carries the answer the database kept', async () => {
  const db = scriptedDb(() => cacheRow);
  const { ask, endpointCalls } = ttsWith(db);
  const response = await ask();
  assert.deepEqual(await response.json(), speech);
  assert.deepEqual([db.askedForSpeech, endpointCalls.length], [[true], 0]);
});

Deno.test('speech this instance holds is served only when the database still counts it a hit', async () => {
  let cachedInDb = false;
  const db = scriptedDb(() => cachedInDb ? cacheRow : undefined);
  const { ask, endpointCalls } = ttsWith(db);
  await answered(ask());
  await answered(ask());
  db.writes[0]!.finish();
  // Purged from the database since: made again, and cached again.
  const again = await ask();
  assert.deepEqual(await again.json(), speech);
  assert.equal(endpointCalls.length, 3);
  await aTurn();
  assert.deepEqual(db.statements, ['charge', 'charge', 'store', 'charge', 'store']);
  db.writes[1]!.finish();
  cachedInDb = true;
  await answered(ask());
  assert.equal(endpointCalls.length, 3);
});

Deno.test('speech this instance holds is still refused once the quota is used up', async () => {
  let quotaLeft = true;
  const db = scriptedDb(() => cacheRow, () => quotaLeft);
  const { ask } = ttsWith(db);
  await (await ask()).body?.cancel();
  quotaLeft = false;
  const refused = await errorOf(await ask());
  assert.deepEqual([refused.status, refused.code], [402, 'quota_exhausted']);
});

Deno.test('answers beyond the memory budget are not kept: the repeat asks for the speech', async () => {
  const db = scriptedDb(() => cacheRow);
  const { ask } = ttsWith(db, { recentChars: 10 });
  for (let i = 0; i < 2; i += 1) assert.deepEqual(await (await ask()).json(), speech);
  assert.deepEqual(db.askedForSpeech, [true, true]);
});

Deno.test('a failed cache write is logged, and the caller still gets the speech', async () => {
  const db = scriptedDb(() => undefined);
  const { ask } = ttsWith(db);
  const logged: string[] = [];
  const originalError = console.error;
  console.error = (line: string) => logged.push(line);
  try {
    await answered(ask());
    const response = await ask();
    assert.equal(response.status, 200);
    await response.body?.cancel();
    await aTurn();
    db.writes[0]!.finish(Object.assign(new Error('disk full'), { name: 'PostgresError' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(logged.map((line) => JSON.parse(line)), [
      { level: 'error', event: 'cache_store_failed', name: 'PostgresError' },
    ]);
  } finally {
    console.error = originalError;
  }
});

Deno.test("the stack's limits apply: its longest text and its default voice", async () => {
  const db = scriptedDb(() => undefined);
  const { ask, endpointCalls: asked } = ttsWith(db, {
    stackLimits: { maxTextChars: 5, defaultVoice: 'bm_george' },
  });

  const tooLong = await errorOf(await ask('Hello!'));
  assert.deepEqual([tooLong.status, tooLong.code], [413, 'text_too_long']);
  assert.match(tooLong.message, /the limit is 5$/);
  const spoken = await ask('Hello');
  assert.equal(spoken.status, 200);
  await spoken.body?.cancel();
  assert.deepEqual(asked, [{ text: 'Hello', voice: 'bm_george', speed: 1 }]);
});
