import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { letterPhonemiser } from '../../testing/letter-phonemiser';
import { useTinyKokoro } from '../../testing/tiny-kokoro-fixture';
import { readHandlerEnv } from '../env';
import type { Logger, LogFields } from '../log';
import { HEALTH_ROUTE, type SpeechResponse } from '../../../speech/index.ts';
import { createSynthesiser, type Synthesiser } from '../synthesis';
import { createHandlerServer, type HandlerServer } from './server';

const SECRET_TEXT = 'The secret plan is on page forty two.';
const tiny = useTinyKokoro();
let synthesiser: Synthesiser;
const logs: { level: string; msg: string; fields?: LogFields }[] = [];
const log: Logger = (level, msg, fields) => logs.push({ level, msg, fields });
const running: HandlerServer[] = [];

beforeAll(() => {
  synthesiser = createSynthesiser(tiny.model, letterPhonemiser);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((h) => h.shutdown()));
  logs.length = 0;
});

async function start(env: Record<string, string> = {}) {
  const handler = createHandlerServer(
    readHandlerEnv({ DEFAULT_VOICE: 'af_tiny', MAX_TEXT_CHARS: '200', ...env }),
    log,
  );
  running.push(handler);
  await new Promise<void>((resolve) => handler.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(handler.server.address() as AddressInfo).port}`;
  const speak = (body: unknown) =>
    fetch(`${base}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { handler, base, speak };
}

// A synthesiser that holds every request until released, so the queue fills deterministically.
function gatedSynthesiser() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const gated: Synthesiser = {
    voices: synthesiser.voices,
    async synthesise(request) {
      await gate;
      return synthesiser.synthesise(request);
    },
  };
  return { gated, release };
}

describe('the handler over HTTP', () => {
  it('answers health 503 until the model is loaded, then 200', async () => {
    const { handler, base, speak } = await start();
    const loading = await fetch(`${base}${HEALTH_ROUTE}`);
    expect(loading.status).toBe(503);
    expect((await loading.json()) as unknown).toMatchObject({ error: { code: 'loading' } });
    expect((await speak({ text: 'hi' })).status).toBe(503);
    handler.ready(synthesiser);
    expect((await fetch(`${base}${HEALTH_ROUTE}`)).status).toBe(200);
  });

  it('speaks: audio, word timings with offsets into the text, and the duration', async () => {
    const { handler, speak } = await start();
    handler.ready(synthesiser);
    const res = await speak({ text: 'Read this, then that.', voice: 'bf_tiny', speed: 1.25 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as SpeechResponse;
    expect(body.audio.mime).toBe('audio/ogg');
    expect(Buffer.from(body.audio.data, 'base64').subarray(0, 4).toString()).toBe('OggS');
    expect(body.words.map((w) => [w.text, w.charStart, w.charEnd])).toEqual([
      ['Read', 0, 4],
      ['this', 5, 9],
      ['then', 11, 15],
      ['that', 16, 20],
    ]);
    expect(body.durationMs).toBeGreaterThanOrEqual(body.words.at(-1)!.end);
  });

  const invalid: [string, unknown, number, string][] = [
    ['empty text', { text: '   ' }, 400, 'empty_text'],
    ['missing text', { voice: 'af_tiny' }, 400, 'empty_text'],
    ['text without words', { text: '?!…' }, 400, 'no_words'],
    ['text over the limit', { text: 'a'.repeat(201) }, 413, 'text_too_long'],
    ['a body far over the limit', { text: 'a'.repeat(5000) }, 413, 'body_too_large'],
    ['an unknown voice', { text: 'hi', voice: 'xx_nobody' }, 400, 'unknown_voice'],
    ['a voice it cannot phonemise for', { text: 'hi', voice: 'ff_tiny' }, 400, 'unknown_voice'],
    ['a speed too slow', { text: 'hi', speed: 0.1 }, 400, 'invalid_speed'],
    ['a speed too fast', { text: 'hi', speed: 3 }, 400, 'invalid_speed'],
    ['a speed that is not a number', { text: 'hi', speed: '1' }, 400, 'invalid_speed'],
    ['a body that is not JSON', '{text:', 400, 'invalid_json'],
    ['a body that is not an object', [1, 2], 400, 'invalid_body'],
  ];
  for (const [what, body, status, code] of invalid) {
    it(`answers ${status} ${code} to ${what}`, async () => {
      const { handler, speak } = await start();
      handler.ready(synthesiser);
      const res = await speak(body);
      expect(res.status).toBe(status);
      const error = ((await res.json()) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe(code);
      expect(error.message.length).toBeGreaterThan(10);
    });
  }

  it('answers 404 on other routes and 405 on other methods', async () => {
    const { handler, base } = await start();
    handler.ready(synthesiser);
    expect((await fetch(`${base}/nope`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/`)).status).toBe(405);
  });

  it('answers 503 with Retry-After once the running and queued slots are full, then serves again', async () => {
    const { handler, speak } = await start({ MAX_CONCURRENCY: '1', MAX_QUEUE: '2' });
    const { gated, release } = gatedSynthesiser();
    handler.ready(gated);
    const admitted = ['one', 'two', 'three'].map((text) => speak({ text }));
    await vi.waitFor(() => expect(handler.load()).toEqual({ running: 1, queued: 2 }));
    const rejected = await speak({ text: 'four' });
    expect(rejected.status).toBe(503);
    expect(rejected.headers.get('retry-after')).toBe('1');
    expect(((await rejected.json()) as { error: { code: string } }).error.code).toBe('busy');
    release();
    expect((await Promise.all(admitted)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await speak({ text: 'five' })).status).toBe(200);
  });

  it('logs each request as JSON fields without the request text', async () => {
    const { handler, speak } = await start();
    handler.ready(synthesiser);
    expect((await speak({ text: SECRET_TEXT })).status).toBe(200);
    expect((await speak({ text: SECRET_TEXT, voice: 'nobody' })).status).toBe(400);
    await vi.waitFor(() => expect(logs.filter((l) => l.msg === 'request')).toHaveLength(2));
    expect(logs[0]!.fields).toMatchObject({ method: 'POST', path: '/', status: 200, words: 8 });
    expect(JSON.stringify(logs)).not.toMatch(/secret|forty/i);
  });

  it('finishes admitted requests on shutdown, then refuses new ones', async () => {
    const { handler, base, speak } = await start();
    const { gated, release } = gatedSynthesiser();
    handler.ready(gated);
    const inFlight = speak({ text: 'finish me' });
    await vi.waitFor(() => expect(handler.load().running).toBe(1));
    const stopped = handler.shutdown();
    release();
    expect((await inFlight).status).toBe(200);
    await stopped;
    await expect(fetch(`${base}${HEALTH_ROUTE}`)).rejects.toThrow();
  });
});
