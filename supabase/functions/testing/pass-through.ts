// The backend bench's anchors: a Deno.serve pass-through to the speech endpoint, with the same
// environment as tts and nothing else (no caller check, no cache).
import { requireEnv } from '../_shared/env.ts';

/** Serves the pass-through; `first`, if given, runs before each request is forwarded. */
export function servePassThrough(first?: () => Promise<unknown>) {
  const env = requireEnv('HF_ENDPOINT_URL', 'HF_TOKEN');
  Deno.serve(async (request) => {
    // The bare anchor awaits nothing of its own.
    if (first) await first();
    const answer = await fetch(env.HF_ENDPOINT_URL, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.HF_TOKEN}`, 'content-type': 'application/json' },
      body: request.body,
    });
    return new Response(answer.body, {
      status: answer.status,
      headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' },
    });
  });
}
