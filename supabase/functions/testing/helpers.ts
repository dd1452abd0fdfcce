// Helpers for the Deno unit tests; nothing here is deployed.
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'npm:jose@6.2.18';
import type { Sql } from '../_shared/db.ts';

export const SUPABASE_URL = 'http://127.0.0.1:54321';
export const USER_ID = '6f1f5b8e-2c1a-4c4e-9a53-0d1b2c3d4e5f';

/** A project signing key: its public JWKS (as SUPABASE_JWKS holds it) and a signer for tokens. */
export async function signingKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256' }],
  });
  const sign = (claims: JWTPayload = {}, expiresIn: string | number = '1h') =>
    new SignJWT({
      role: 'authenticated',
      sub: USER_ID,
      iss: `${SUPABASE_URL}/auth/v1`,
      aud: 'authenticated',
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'test' })
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(privateKey);
  return { jwks, sign };
}

/** A database that fails the test if a request reaches it: rejected requests write nothing. */
export const untouchedDb = new Proxy(() => {}, {
  apply: () => {
    throw new Error('the database was used');
  },
  get: () => {
    throw new Error('the database was used');
  },
}) as unknown as Sql;

export function post(path: string, body: string, headers: Record<string, string> = {}): Request {
  return new Request(`${SUPABASE_URL}/functions/v1/${path}`, { method: 'POST', body, headers });
}

export async function errorOf(
  response: Response,
): Promise<{ status: number; code: string; message: string }> {
  const body = await response.json();
  return { status: response.status, code: body.error?.code, message: body.error?.message };
}
