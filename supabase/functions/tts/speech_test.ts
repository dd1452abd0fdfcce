import assert from 'node:assert/strict';
import {
  cacheKey,
  parseSpeechRequest,
  type Speech,
  speechLimits,
  speechProblem,
} from './speech.ts';

const text = 'Hello, world! Hello again.';
const speech = (words: Speech['words'], durationMs = 2000): Speech => ({
  audio: { mime: 'audio/wav', data: 'UklGRg==' },
  words,
  durationMs,
});
const good = [
  { text: 'Hello,', start: 0, end: 400, charStart: 0, charEnd: 6 },
  { text: 'world!', start: 400, end: 900, charStart: 7, charEnd: 13 },
  { text: 'Hello', start: 1000, end: 1400, charStart: 14, charEnd: 19 },
  { text: 'again.', start: 1400, end: 2000, charStart: 20, charEnd: 26 },
];

Deno.test('speech whose words follow the audio and slice the text is accepted', () => {
  assert.equal(speechProblem(text, speech(good)), undefined);
});

Deno.test('speech that breaks the contract is named, not cached', () => {
  const [first, second] = good;
  assert.match(speechProblem(text, speech([second!, first!]))!, /not in order/);
  assert.match(speechProblem(text, speech(good, 1500))!, /outside the audio/);
  assert.match(speechProblem(text, speech([{ ...first!, charEnd: 5 }]))!, /offsets/);
  assert.match(speechProblem(text, speech([{ ...first!, start: 500, end: 100 }]))!, /outside/);
  assert.match(
    speechProblem(text, { ...speech(good), audio: { mime: 'text/html', data: 'x' } })!,
    /audio/,
  );
  assert.match(speechProblem(text, null)!, /audio/);
});

Deno.test('the cache key changes with text, voice and speed, and only with them', () => {
  const base = { text: 'hi', voice: 'af_heart', speed: 1 };
  const key = cacheKey(base);
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(cacheKey({ ...base }), key);
  for (const change of [{ text: 'hi!' }, { voice: 'am_adam' }, { speed: 1.25 }]) {
    assert.notEqual(cacheKey({ ...base, ...change }), key);
  }
});

Deno.test('text with emoji, joiners and other scripts is taken as it is', () => {
  for (
    const text of ['Hi 👋🏽 there', 'family: 👨\u200d👩\u200d👧', 'naïve café', '日本語のテキスト']
  ) {
    assert.deepEqual(parseSpeechRequest({ text }), { text, voice: 'af_heart', speed: 1 });
  }
});

Deno.test("the stack's limits are read from the function's environment, a wrong one named", () => {
  assert.deepEqual(speechLimits({ MAX_TEXT_CHARS: '1200', DEFAULT_VOICE: 'bm_george' }), {
    maxTextChars: 1200,
    defaultVoice: 'bm_george',
  });
  assert.throws(() => speechLimits({ MAX_TEXT_CHARS: '12.5', DEFAULT_VOICE: 'af_heart' }), {
    message: 'MAX_TEXT_CHARS must be an integer >= 1, got "12.5"',
  });
  assert.throws(
    () => speechLimits({ MAX_TEXT_CHARS: '1200', DEFAULT_VOICE: 'zz_nobody' }),
    /^Error: DEFAULT_VOICE must be one of af_heart, /,
  );
});
