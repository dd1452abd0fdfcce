import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS } from '../../../speech/index.ts';
import { createSpeechApi } from './api';
import { ApiError } from './errors';

const speech = {
  audio: { mime: 'audio/wav', data: 'UklGRg==' },
  words: [{ text: 'Hello', start: 0, end: 200, charStart: 0, charEnd: 5 }],
  durationMs: 300,
};

function api(answer: () => Response | Promise<Response>, token: string | null = 'user-token') {
  const calls: { url: string; init: RequestInit }[] = [];
  const speak = createSpeechApi({
    apiBase: 'https://ref.supabase.co',
    anonKey: 'anon',
    accessToken: async () => token ?? undefined,
    fetch: async (url, init) => {
      calls.push({ url: String(url), init: init! });
      return answer();
    },
  });
  return { speak, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('createSpeechApi', () => {
  it('posts the contract’s request with the user’s token and returns the speech', async () => {
    const { speak, calls } = api(() => json(200, speech));
    expect(await speak({ text: 'Hello', voice: 'af_heart', speed: 1 })).toEqual(speech);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://ref.supabase.co/functions/v1/tts');
    expect(calls[0]!.init.headers).toMatchObject({
      authorization: 'Bearer user-token',
      apikey: 'anon',
    });
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({
      text: 'Hello',
      voice: 'af_heart',
      speed: 1,
    });
  });

  it.each([
    [401, 'unknown_user'],
    [402, 'quota_exhausted'],
    [429, 'rate_limited'],
    [502, 'upstream_failed'],
  ])('turns a %i answer into an ApiError with its code', async (status, code) => {
    const { speak } = api(() => json(status, { error: { code, message: 'no' } }));
    await expect(speak({ text: 'Hello', voice: 'af_heart', speed: 1 })).rejects.toMatchObject({
      status,
      code,
    });
  });

  it('gives a code to an error answer that is not JSON', async () => {
    const { speak } = api(() => new Response('<html>Bad gateway</html>', { status: 504 }));
    await expect(speak({ text: 'Hello', voice: 'af_heart', speed: 1 })).rejects.toMatchObject({
      status: 504,
      code: 'http_504',
    });
  });

  it('refuses text over the limit, and calls nobody, when signed out or offline', async () => {
    const tooLong = api(() => json(200, speech));
    await expect(
      tooLong.speak({ text: 'x'.repeat(MAX_TEXT_CHARS + 1), voice: 'af_heart', speed: 1 }),
    ).rejects.toMatchObject({ status: 413 });
    expect(tooLong.calls).toEqual([]);

    const signedOut = api(() => json(200, speech), null);
    await expect(
      signedOut.speak({ text: 'Hello', voice: 'af_heart', speed: 1 }),
    ).rejects.toMatchObject({ status: 401, code: 'signed_out' });
    expect(signedOut.calls).toEqual([]);

    const offline = api(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(
      offline.speak({ text: 'Hello', voice: 'af_heart', speed: 1 }),
    ).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('rejects speech whose words do not fit the text', async () => {
    const { speak } = api(() =>
      json(200, { ...speech, words: [{ ...speech.words[0], charEnd: 4 }] }),
    );
    const failure = speak({ text: 'Hello', voice: 'af_heart', speed: 1 });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ code: 'invalid_speech' });
  });
});
