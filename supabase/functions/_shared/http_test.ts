import assert from 'node:assert/strict';
import { HttpError, readBody } from './http.ts';

/** Serves readBody(maxBytes) on a free port; the answer is the body read, or the refusal's code. */
async function withReader(maxBytes: number, run: (url: string) => Promise<void>) {
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, async (req) => {
    try {
      return new Response(await readBody(req, maxBytes));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return new Response(error.code, { status: error.status });
    }
  });
  try {
    await run(`http://127.0.0.1:${server.addr.port}/`);
  } finally {
    await server.shutdown();
  }
}

/** A body of `chunks` sent chunked: no length declared up front. */
const streamed = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

Deno.test('a body of declared length is read whole, multi-byte text included', async () => {
  await withReader(64, async (url) => {
    const response = await fetch(url, { method: 'POST', body: 'héllo wörld' });
    assert.equal(await response.text(), 'héllo wörld');
  });
});

Deno.test('a declared length over the limit is refused with 413', async () => {
  await withReader(8, async (url) => {
    const response = await fetch(url, { method: 'POST', body: 'x'.repeat(9) });
    assert.deepEqual([response.status, await response.text()], [413, 'payload_too_large']);
  });
});

Deno.test('a chunked body is read to its end, and refused once it passes the limit', async () => {
  await withReader(8, async (url) => {
    const fits = await fetch(url, { method: 'POST', body: streamed('héll', 'o') });
    assert.equal(await fits.text(), 'héllo');
    const over = await fetch(url, { method: 'POST', body: streamed('12345', '67890') });
    assert.deepEqual([over.status, await over.text()], [413, 'payload_too_large']);
  });
});
