import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerServer } from '../../hf-handler/src/server/server';
import { oggFormat } from '../../hf-handler/testing/ogg-format';
import { startTinyHandler } from '../../hf-handler/testing/tiny-handler';
import { startLocalBackend, type LocalBackend } from '../../scripts/local-backend';
import { serveFunction, type ServedFunction } from '../../scripts/local-backend/functions';
import { createUser } from '../../scripts/local-backend/users';
import { START_TIMEOUT_MS } from './database';
import type { SpeechResponse as SpeechBody } from '../../speech/index.ts';

// The real tts function calling the real speech handler (onnxruntime, tiny model): the two halves
// of DESIGN's "tts function -> HF endpoint" API agree, not just each with its own fake.
describe('tts in front of the real speech handler', () => {
  let modelDir: string;
  let handler: HandlerServer;
  let backend: LocalBackend;
  let tts: ServedFunction;
  let token: string;

  beforeAll(async () => {
    let handlerUrl: string;
    ({ modelDir, handler, url: handlerUrl } = await startTinyHandler());

    backend = await startLocalBackend();
    tts = await serveFunction('tts', { ...backend.functionEnv, HF_ENDPOINT_URL: handlerUrl });
    token = await backend.signToken(await createUser(backend.sql, 'listener@example.com'));
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await tts?.stop();
    await backend?.stop();
    await handler?.shutdown();
    await rm(modelDir, { recursive: true, force: true });
  });

  it('returns the handler’s audio with word timings that fit the text and the audio', async () => {
    const text = 'Read this aloud, please: 42 words? No, just a few.';
    const response = await fetch(`http://127.0.0.1:${tts.port}/functions/v1/tts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as SpeechBody;

    const audio = Buffer.from(body.audio.data, 'base64');
    expect(body.audio.mime).toBe('audio/ogg');
    const format = await oggFormat(audio);
    expect(format).toMatchObject({ codec: 'Vorbis I', numberOfChannels: 1, sampleRate: 24_000 });
    // The duration the response states, to the sample.
    expect(format.numberOfSamples).toBe((body.durationMs * 24_000) / 1000);

    expect(body.words.map((w) => w.text)).toEqual(
      ['Read', 'this', 'aloud', 'please', '42', 'words', 'No', 'just', 'a', 'few'].map((w) =>
        expect.stringContaining(w),
      ),
    );
    for (const [i, word] of body.words.entries()) {
      expect(text.slice(word.charStart, word.charEnd)).toBe(word.text);
      expect(word.start).toBeLessThan(word.end);
      expect(word.end).toBeLessThanOrEqual(body.durationMs);
      if (i > 0) expect(word.start).toBeGreaterThanOrEqual(body.words[i - 1]!.end);
    }
    const [usage] =
      await backend.sql`select coalesce(sum(characters), 0)::int as used from public.usage`;
    expect(usage!.used).toBe(text.length);
  });
});
