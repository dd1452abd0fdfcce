// The backend bench's anchor: a bare Deno.serve pass-through to the speech endpoint, with the same
// environment as tts and nothing else (no caller check, no database, no cache).
import { requireEnv } from '../_shared/env.ts';

const env = requireEnv('HF_ENDPOINT_URL', 'HF_TOKEN');

Deno.serve(async (request) => {
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
