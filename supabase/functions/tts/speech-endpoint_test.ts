import assert from 'node:assert/strict';
import { createSpeechEndpoint, SpeechEndpointError } from './speech-endpoint.ts';

const request = { text: 'Hi there', voice: 'af_heart', speed: 1 };
const speech = {
  audio: { mime: 'audio/wav', data: 'UklGRg==' },
  words: [
    { text: 'Hi', start: 0, end: 200, charStart: 0, charEnd: 2 },
    { text: 'there', start: 200, end: 500, charStart: 3, charEnd: 8 },
  ],
  durationMs: 500,
};

interface Seen {
  authorization: string | null;
  body: unknown;
}

/** A fake endpoint answering with `statuses` in turn (then 200), recording what it was sent. */
async function withEndpoint(
  statuses: number[],
  test: (url: string, seen: Seen[]) => Promise<void>,
  respond: (req: Request) => Promise<Response> | Response = () => Response.json(speech),
) {
  const seen: Seen[] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    seen.push({ authorization: req.headers.get('authorization'), body: await req.json() });
    const status = statuses.shift();
    return status ? new Response('{"error":"x"}', { status }) : respond(req);
  });
  try {
    await test(`http://127.0.0.1:${server.addr.port}/`, seen);
  } finally {
    await server.shutdown();
  }
}

const endpoint = (url: string, timeoutMs = 5000) =>
  createSpeechEndpoint({ url, token: 'hf_test_token', timeoutMs, retries: 2, minBackoffMs: 1 });

Deno.test('sends the request with the token and returns the speech', async () => {
  await withEndpoint([], async (url, seen) => {
    assert.deepEqual(await endpoint(url)(request), speech);
    assert.deepEqual(seen, [{ authorization: 'Bearer hf_test_token', body: request }]);
  });
});

Deno.test('passes on only the fields the contract names', async () => {
  const extra = {
    ...speech,
    audio: { ...speech.audio, url: 'https://elsewhere.example/a.wav' },
    words: speech.words.map((word) => ({ ...word, score: 0.9 })),
    debug: { host: 'gpu-7' },
  };
  await withEndpoint([], async (url) => {
    assert.deepEqual(await endpoint(url)(request), speech);
  }, () => Response.json(extra));
});

Deno.test('retries 429 and 5xx, then succeeds', async () => {
  await withEndpoint([503, 429], async (url, seen) => {
    assert.deepEqual(await endpoint(url)(request), speech);
    assert.equal(seen.length, 3);
  });
});

Deno.test('gives up after the retries, naming the last status', async () => {
  await withEndpoint([500, 502, 503, 504], async (url, seen) => {
    await assert.rejects(
      endpoint(url)(request),
      (e) => e instanceof SpeechEndpointError && e.detail === 'status 503',
    );
    assert.equal(seen.length, 3);
  });
});

Deno.test('a 4xx other than 429 is not retried', async () => {
  await withEndpoint([400], async (url, seen) => {
    await assert.rejects(
      endpoint(url)(request),
      (e) => e instanceof SpeechEndpointError && e.detail === 'status 400',
    );
    assert.equal(seen.length, 1);
  });
});

Deno.test('a response that breaks the contract fails without a retry', async () => {
  const wrong = () => Response.json({ ...speech, durationMs: 100 });
  await withEndpoint([], async (url, seen) => {
    await assert.rejects(
      endpoint(url)(request),
      (e) => e instanceof SpeechEndpointError && /outside/.test(e.detail),
    );
    assert.equal(seen.length, 1);
  }, wrong);
});

Deno.test('a request that outlives its timeout is abandoned and retried', async () => {
  // Answers long after the client's 20 ms timeout, so every attempt is abandoned.
  const hang = () =>
    new Promise<Response>((resolve) => setTimeout(() => resolve(new Response(null)), 300));
  await withEndpoint([], async (url, seen) => {
    await assert.rejects(
      endpoint(url, 20)(request),
      (e) => e instanceof SpeechEndpointError && e.detail === 'timed out',
    );
    assert.equal(seen.length, 3);
  }, hang);
});
