// The backend bench's anchor: a bare Deno.serve pass-through to the speech endpoint, with the same
// environment as tts and nothing else (no caller check, no database, no cache).
const upstream = Deno.env.get('HF_ENDPOINT_URL')!;
const token = Deno.env.get('HF_TOKEN')!;

Deno.serve(async (request) => {
  const answer = await fetch(upstream, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: request.body,
  });
  return new Response(answer.body, {
    status: answer.status,
    headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' },
  });
});
