// @vitest-environment jsdom
// (jsdom gives the WebSocket that supabase-js looks for, as a browser has; Node 20 has none.)
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_KEY, createAuth } from './client';
import { memoryArea } from './memory-area';

const ANON_KEY = 'anon-key-for-tests';
const user = {
  id: 'b5d1c0de-0000-4000-8000-000000000001',
  aud: 'authenticated',
  role: 'authenticated',
  email: 'listener@example.com',
  app_metadata: {},
  user_metadata: {},
  created_at: '2026-01-01T00:00:00Z',
};

/** A session as Supabase Auth returns it, expiring `inSeconds` from now. */
function session(accessToken: string, refreshToken: string, inSeconds: number) {
  return {
    access_token: accessToken,
    refresh_token: refreshToken,
    token_type: 'bearer',
    expires_in: inSeconds,
    expires_at: Math.floor(Date.now() / 1000) + inSeconds,
    user,
  };
}

const readJson = async (req: IncomingMessage) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return JSON.parse(body || '{}') as Record<string, unknown>;
};

// Supabase Auth's refresh grant on 127.0.0.1: POST /auth/v1/token?grant_type=refresh_token.
describe('the extension’s Supabase Auth session', () => {
  let server: Server;
  let url: string;
  const refreshes: { refreshToken: unknown; apikey: unknown }[] = [];

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const body = await readJson(req);
      if (req.method === 'POST' && req.url === '/auth/v1/token?grant_type=refresh_token') {
        refreshes.push({ refreshToken: body.refresh_token, apikey: req.headers.apikey });
        if (body.refresh_token !== 'refresh-1') {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              code: 400,
              error_code: 'refresh_token_not_found',
              msg: 'Invalid Refresh Token: Refresh Token Not Found',
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(session('access-2', 'refresh-2', 3600)));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    refreshes.length = 0;
  });

  it('uses a stored token that is far from expiring without asking Auth', async () => {
    const area = memoryArea({
      [SESSION_KEY]: JSON.stringify(session('access-1', 'refresh-1', 3600)),
    });
    expect(await createAuth(url, ANON_KEY, area).accessToken()).toBe('access-1');
    expect(refreshes).toEqual([]);
  });

  it('refreshes a token before it expires and keeps the new session in chrome.storage', async () => {
    const area = memoryArea({
      [SESSION_KEY]: JSON.stringify(session('access-1', 'refresh-1', 30)),
    });
    const auth = createAuth(url, ANON_KEY, area);

    expect(await auth.accessToken()).toBe('access-2');
    expect(refreshes).toEqual([{ refreshToken: 'refresh-1', apikey: ANON_KEY }]);
    const stored = JSON.parse(area.items.get(SESSION_KEY) as string);
    expect(stored).toMatchObject({ access_token: 'access-2', refresh_token: 'refresh-2' });
    expect(await auth.email()).toBe('listener@example.com');
  });

  it('is signed out, with the session removed, when an expired session’s refresh is refused', async () => {
    const area = memoryArea({ [SESSION_KEY]: JSON.stringify(session('access-1', 'revoked', -10)) });
    await expect(createAuth(url, ANON_KEY, area).accessToken()).rejects.toThrow(/Refresh Token/);
    expect(area.items.has(SESSION_KEY)).toBe(false);
  });

  it('is signed out when nothing is stored', async () => {
    expect(await createAuth(url, ANON_KEY, memoryArea()).accessToken()).toBeUndefined();
  });
});
