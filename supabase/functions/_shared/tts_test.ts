import assert from 'node:assert/strict';
import { createCallerVerifier } from './auth.ts';
import { MAX_TEXT_CHARS } from './speech.ts';
import { errorOf, post, signingKey, SUPABASE_URL, untouchedDb } from './testing.ts';
import { createTtsHandler } from './tts.ts';

const key = await signingKey();
const handler = createTtsHandler({
  verifyCaller: createCallerVerifier({ jwks: key.jwks, supabaseUrl: SUPABASE_URL }),
  sql: untouchedDb,
  synthesize: () => Promise.reject(new Error('the speech endpoint was called')),
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
