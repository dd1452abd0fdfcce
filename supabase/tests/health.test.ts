import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../scripts/local-backend';
import { serveFunction, type ServedFunction } from '../../scripts/local-backend/functions';
import { freePort } from '../../scripts/local-backend/processes';
import { START_TIMEOUT_MS } from './database';

interface Check {
  ok: boolean;
  ms: number;
  detail?: string;
}
interface HealthBody {
  status: string;
  checks: { database: Check; speechEndpoint: Check };
}

describe('health over HTTP on the local backend', () => {
  let backend: LocalBackend;
  const started: ServedFunction[] = [];

  beforeAll(async () => {
    backend = await startLocalBackend();
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    for (const fn of started) await fn.stop();
    await backend?.stop();
  });

  /** The health function alone, with `override` in its environment; a closed port is "down". */
  const healthWith = async (override: Record<string, string>) => {
    const fn = await serveFunction('health', { ...backend.functionEnv, ...override });
    started.push(fn);
    return `http://127.0.0.1:${fn.port}/functions/v1/health`;
  };
  const check = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, body: (await response.json()) as HealthBody };
  };

  it('200 when the database and the speech endpoint answer', async () => {
    const { status, body } = await check(`${backend.url}/functions/v1/health`);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect([body.checks.database.ok, body.checks.speechEndpoint.ok]).toEqual([true, true]);
    expect(backend.speechEndpoint.requests).toEqual([]);
  });

  it(
    'reports the database down, the endpoint still up',
    async () => {
      const port = await freePort();
      const url = await healthWith({
        SUPABASE_DB_URL: `postgres://postgres:pw@127.0.0.1:${port}/postgres`,
      });
      const { status, body } = await check(url);
      expect(status).toBe(503);
      expect(body.checks.database).toMatchObject({ ok: false, detail: 'unreachable' });
      expect(body.checks.speechEndpoint.ok).toBe(true);
    },
    START_TIMEOUT_MS,
  );

  it(
    'reports the endpoint down, the database still up, and never shows the token',
    async () => {
      const port = await freePort();
      const url = await healthWith({ HF_ENDPOINT_URL: `http://127.0.0.1:${port}/` });
      const response = await fetch(url);
      const text = await response.text();
      expect(response.status).toBe(503);
      const body = JSON.parse(text) as HealthBody;
      expect(body.checks.speechEndpoint).toMatchObject({ ok: false, detail: 'unreachable' });
      expect(body.checks.database.ok).toBe(true);
      expect(text).not.toContain(backend.speechEndpoint.token);
    },
    START_TIMEOUT_MS,
  );

  it(
    'reports an endpoint that refuses the token by its status',
    async () => {
      const url = await healthWith({ HF_TOKEN: 'hf_wrong_token_for_this_endpoint' });
      const { status, body } = await check(url);
      expect(status).toBe(503);
      expect(body.checks.speechEndpoint).toMatchObject({ ok: false, detail: 'status 401' });
    },
    START_TIMEOUT_MS,
  );
});
