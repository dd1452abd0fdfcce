import assert from 'node:assert/strict';
import { createCallerVerifier } from './auth.ts';
import { HttpError } from './http.ts';
import { post, signingKey, SUPABASE_URL, USER_ID } from '../testing/helpers.ts';

const key = await signingKey();
const verify = createCallerVerifier({ jwks: key.jwks, supabaseUrl: SUPABASE_URL });
const withToken = (token: string) => post('tts', '{}', { authorization: `Bearer ${token}` });

async function rejection(req: Request): Promise<string> {
  const error = await verify(req).then(() => undefined, (e) => e);
  assert.ok(error instanceof HttpError, 'expected a rejection');
  assert.equal(error.status, 401);
  return error.code;
}

Deno.test('a valid token names its user', async () => {
  assert.deepEqual(await verify(withToken(await key.sign())), { userId: USER_ID });
});

Deno.test('no token, or not a bearer token -> missing_token', async () => {
  assert.equal(await rejection(post('tts', '{}')), 'missing_token');
  assert.equal(await rejection(post('tts', '{}', { authorization: 'Basic abc' })), 'missing_token');
});

Deno.test('an expired token -> token_expired', async () => {
  const expired = await key.sign({}, Math.floor(Date.now() / 1000) - 60);
  assert.equal(await rejection(withToken(expired)), 'token_expired');
});

Deno.test('a token signed by another key -> invalid_token', async () => {
  const forger = await signingKey();
  assert.equal(await rejection(withToken(await forger.sign())), 'invalid_token');
});

Deno.test('a token for another audience, issuer or without a user id -> invalid_token', async () => {
  assert.equal(await rejection(withToken(await key.sign({ aud: 'anon' }))), 'invalid_token');
  assert.equal(
    await rejection(withToken(await key.sign({ iss: 'https://evil.example/auth/v1' }))),
    'invalid_token',
  );
  assert.equal(await rejection(withToken(await key.sign({ sub: 'not-a-uuid' }))), 'invalid_token');
  assert.equal(await rejection(withToken('not.a.jwt')), 'invalid_token');
});

Deno.test('a token for any role but authenticated -> invalid_token', async () => {
  for (const role of ['anon', 'service_role', 'supabase_admin', undefined]) {
    assert.equal(await rejection(withToken(await key.sign({ role }))), 'invalid_token', role);
  }
});

Deno.test('a remembered token stops working when it expires', async () => {
  const expiry = Math.floor(Date.now() / 1000) + 1;
  const token = await key.sign({}, expiry);
  assert.deepEqual(await verify(withToken(token)), { userId: USER_ID });
  await new Promise((resolve) => setTimeout(resolve, expiry * 1000 - Date.now() + 20));
  assert.equal(await rejection(withToken(token)), 'token_expired');
});

Deno.test('a remembered token vouches for no other: a changed signature is still refused', async () => {
  const token = await key.sign();
  await verify(withToken(token));
  const [header, payload, signature] = token.split('.');
  const altered = `${signature![0] === 'A' ? 'B' : 'A'}${signature!.slice(1)}`;
  assert.equal(await rejection(withToken([header, payload, altered].join('.'))), 'invalid_token');
});
