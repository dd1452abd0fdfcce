import assert from 'node:assert/strict';
import type { Sql } from '../_shared/db.ts';
import {
  createHealthHandler,
  databaseProbe,
  type HealthReport,
  type Probe,
  speechEndpointProbe,
} from './handler.ts';

const healthy: Probe = () => Promise.resolve();
const failing = (message: string): Probe => () => Promise.reject(new Error(message));
const get = () => new Request('http://127.0.0.1/functions/v1/health');

async function reportOf(response: Response): Promise<HealthReport> {
  return await response.json();
}

/** An endpoint on a free port whose /health answers `status`, recording what it was sent. */
function fakeEndpoint(status = 200, delayMs = 0) {
  const seen: { path: string; authorization: string | null }[] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    seen.push({ path: new URL(req.url).pathname, authorization: req.headers.get('authorization') });
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return new Response('{}', { status });
  });
  return { url: `http://127.0.0.1:${server.addr.port}/`, seen, stop: () => server.shutdown() };
}

Deno.test('200 with both checks ok when the database and the endpoint answer', async () => {
  const response = await createHealthHandler({
    probeDatabase: healthy,
    probeSpeechEndpoint: healthy,
  })(get());
  assert.equal(response.status, 200);
  const report = await reportOf(response);
  assert.equal(report.status, 'ok');
  assert.equal(report.checks.database.ok, true);
  assert.equal(report.checks.speechEndpoint.ok, true);
  assert.equal(typeof report.checks.database.ms, 'number');
});

Deno.test('503 naming the database when it does not answer, the endpoint still ok', async () => {
  const response = await createHealthHandler({
    probeDatabase: failing('unreachable'),
    probeSpeechEndpoint: healthy,
  })(get());
  assert.equal(response.status, 503);
  const report = await reportOf(response);
  assert.equal(report.status, 'failing');
  assert.deepEqual(
    { ...report.checks.database, ms: 0 },
    { ok: false, ms: 0, detail: 'unreachable' },
  );
  assert.equal(report.checks.speechEndpoint.ok, true);
});

Deno.test('503 naming the endpoint when its health route fails, the database still ok', async () => {
  const response = await createHealthHandler({
    probeDatabase: healthy,
    probeSpeechEndpoint: failing('status 503'),
  })(get());
  assert.equal(response.status, 503);
  const report = await reportOf(response);
  assert.equal(report.checks.speechEndpoint.detail, 'status 503');
  assert.equal(report.checks.database.ok, true);
});

Deno.test('answers within the cache window from one probe of each, then probes again', async () => {
  let clock = 1_000;
  let probes = 0;
  const handler = createHealthHandler({
    probeDatabase: () => Promise.resolve(void probes++),
    probeSpeechEndpoint: healthy,
    cacheMs: 10_000,
    now: () => clock,
  });
  await Promise.all([handler(get()), handler(get())]);
  clock += 9_999;
  await handler(get());
  assert.equal(probes, 1);
  clock += 1;
  await handler(get());
  assert.equal(probes, 2);
});

Deno.test('refuses anything but GET with 405 and probes nothing', async () => {
  let probed = false;
  const probe: Probe = () => Promise.resolve(void (probed = true));
  const response = await createHealthHandler({ probeDatabase: probe, probeSpeechEndpoint: probe })(
    new Request('http://127.0.0.1/functions/v1/health', { method: 'POST', body: '{}' }),
  );
  assert.equal(response.status, 405);
  assert.equal(response.headers.get('allow'), 'GET');
  assert.equal(probed, false);
});

Deno.test('the endpoint probe GETs /health with the bearer token and accepts a 2xx', async () => {
  const endpoint = fakeEndpoint(200);
  try {
    await speechEndpointProbe({ url: endpoint.url, token: 'hf_probe_token' })();
    assert.deepEqual(endpoint.seen, [{ path: '/health', authorization: 'Bearer hf_probe_token' }]);
  } finally {
    await endpoint.stop();
  }
});

Deno.test('the endpoint probe reports a non-2xx status, a timeout and a closed port', async () => {
  const loading = fakeEndpoint(503);
  const slow = fakeEndpoint(200, 500);
  try {
    await assert.rejects(speechEndpointProbe({ url: loading.url, token: 't' })(), {
      message: 'status 503',
    });
    await assert.rejects(speechEndpointProbe({ url: slow.url, token: 't', timeoutMs: 50 })(), {
      message: 'timed out',
    });
  } finally {
    await loading.stop();
    await slow.stop();
  }
  await assert.rejects(speechEndpointProbe({ url: loading.url, token: 't' })(), {
    message: 'unreachable',
  });
});

Deno.test('the report never carries the endpoint token or the connection string', async () => {
  const dbUrl = 'postgres://postgres:db_password_123@db.internal:5432/postgres';
  const leakingSql =
    (() => Promise.reject(new Error(`connect failed: ${dbUrl}`))) as unknown as Sql;
  const closed = fakeEndpoint(200);
  await closed.stop();
  const response = await createHealthHandler({
    probeDatabase: databaseProbe(leakingSql),
    probeSpeechEndpoint: speechEndpointProbe({ url: closed.url, token: 'hf_secret_token_abc' }),
  })(get());
  const text = await response.text();
  assert.equal(response.status, 503);
  for (const secret of ['db_password_123', 'db.internal', 'hf_secret_token_abc']) {
    assert.equal(text.includes(secret), false, `the report shows ${secret}`);
  }
  assert.match(text, /"detail":"unreachable"/);
});

Deno.test('the database probe gives up after its timeout', async () => {
  const hangingSql = (() => new Promise(() => {})) as unknown as Sql;
  await assert.rejects(databaseProbe(hangingSql, 20)(), { message: 'timed out' });
});
