import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify } from 'npm:jose@6.2.18';
import { LRUCache } from 'npm:lru-cache@11.5.3';
import { HttpError } from './http.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Caller {
  userId: string;
}

export type VerifyCaller = (req: Request) => Promise<Caller>;

/**
 * Verifies Supabase Auth access tokens: signature against the project's signing keys
 * (SUPABASE_JWKS), expiry, issuer, the `authenticated` audience and role. A token that passed is
 * remembered until it expires, since the extension sends the same one for up to an hour.
 */
export function createCallerVerifier(options: { jwks: string; supabaseUrl: string }): VerifyCaller {
  const keys = createLocalJWKSet(JSON.parse(options.jwks) as JSONWebKeySet);
  const issuer = `${options.supabaseUrl.replace(/\/+$/, '')}/auth/v1`;
  const verified = new LRUCache<string, Caller>({ max: 10_000 });
  return async (req) => {
    const token = bearerToken(req);
    if (!token) {
      throw new HttpError(
        401,
        'missing_token',
        'sign in: an Authorization: Bearer token is required',
      );
    }
    const known = verified.get(token);
    if (known) return known;
    try {
      const { payload } = await jwtVerify(token, keys, { issuer, audience: 'authenticated' });
      if (typeof payload.sub !== 'string' || !UUID.test(payload.sub)) {
        throw new errors.JWTClaimValidationFailed('the subject is not a user id', payload, 'sub');
      }
      // The audience alone does not say who signed in: anon and service keys are not users.
      if (payload.role !== 'authenticated') {
        throw new errors.JWTClaimValidationFailed('the role is not authenticated', payload, 'role');
      }
      const caller = { userId: payload.sub };
      // A token without an expiry is checked every time rather than remembered for ever.
      const ttl = (payload.exp ?? 0) * 1000 - Date.now();
      if (ttl > 0) verified.set(token, caller, { ttl });
      return caller;
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new HttpError(
          401,
          'token_expired',
          'the access token has expired: refresh the session',
        );
      }
      throw new HttpError(401, 'invalid_token', 'the access token is not valid for this project');
    }
  };
}

/** The token of an `Authorization: Bearer` header, if there is one. */
function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '');
  return match?.[1];
}
