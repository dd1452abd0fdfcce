import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  optionsFromEnv,
  rollOutEndpoint,
  RolloutError,
  type RolloutOptions,
} from './hf-endpoint-rollout';
import {
  startFakeHfEndpoints,
  type FakeHfEndpoints,
  type FakeHfEndpointsOptions,
} from './testing/fake-hf-endpoints';

const TOKEN = 'hf_test_token_do_not_print';
const SECRET = 'supabase-service-role-value';
const PREVIOUS = `registry.example/read-aloud/hf-handler@sha256:${'a'.repeat(64)}`;
const NEXT = `registry.example/read-aloud/hf-handler@sha256:${'b'.repeat(64)}`;
const ENV = { MODEL_DIR: '/repository', PORT: '8080' };
const SECRETS = { SUPABASE_KEY: SECRET };

let fake: FakeHfEndpoints | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(overrides: Partial<FakeHfEndpointsOptions> = {}) {
  fake = await startFakeHfEndpoints({
    token: TOKEN,
    namespace: 'read-aloud',
    name: 'kokoro-staging',
    image: PREVIOUS,
    ...overrides,
  });
  return fake;
}

async function rollOut(api: FakeHfEndpoints, overrides: Partial<RolloutOptions> = {}) {
  const lines: string[] = [];
  const result = rollOutEndpoint({
    apiBase: api.apiBase,
    token: TOKEN,
    namespace: 'read-aloud',
    name: 'kokoro-staging',
    image: NEXT,
    env: ENV,
    secrets: SECRETS,
    healthRoute: '/health',
    port: 8080,
    timeoutMs: 5_000,
    pollMs: 1,
    retry: { retries: 3, startingDelayMs: 1 },
    log: (line) => lines.push(line),
    ...overrides,
  });
  const outcome = await result.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  const printed = lines.join('\n') + (outcome?.message ?? '');
  expect(printed).not.toContain(TOKEN);
  expect(printed).not.toContain(SECRET);
  return { error: outcome, lines };
}

const puts = (api: FakeHfEndpoints) => api.requests.filter((r) => r.method === 'PUT');

describe('rollOutEndpoint against a fake Hugging Face Endpoints API', () => {
  it('reads the current image, PUTs the new image with env and secrets, and waits for running and healthy', async () => {
    const api = await start();
    const { error, lines } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^state updating: Endpoint waiting for the update$/),
        expect.stringMatching(/^state running/),
      ]),
    );
    expect(puts(api).map((r) => r.body)).toEqual([
      {
        model: {
          image: { custom: { url: NEXT, healthRoute: '/health', port: 8080 } },
          env: ENV,
          secrets: SECRETS,
        },
      },
    ]);
    expect(api.requests[0]).toMatchObject({
      method: 'GET',
      path: '/v2/endpoint/read-aloud/kokoro-staging',
    });
    expect(api.requests.some((r) => r.path === '/serving/health' && r.status === 200)).toBe(true);
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(api.currentImage()).toBe(NEXT);
    expect(api.secrets()).toEqual(SECRETS);
  });

  it('retries 429 and 5xx answers with backoff, then succeeds', async () => {
    const api = await start({
      failures: [
        { method: 'GET', status: 503 },
        { method: 'GET', status: 429, body: { error: 'Too many requests' } },
        { method: 'PUT', status: 502 },
        { method: 'GET', status: 500 },
      ],
    });
    const { error, lines } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(api.requests.map((r) => r.status)).toEqual(
      expect.arrayContaining([503, 429, 502, 500, 200]),
    );
    expect(puts(api).map((r) => r.status)).toEqual([502, 200]);
    expect(lines.join('\n')).toMatch(/answered 429: Too many requests \(2 retries left\)/);
    expect(api.currentImage()).toBe(NEXT);
  });

  it('gives up on a 5xx that lasts past its retries', async () => {
    const api = await start({ failures: Array(4).fill({ method: 'GET', status: 503 }) });
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(/GET \/endpoint\/read-aloud\/kokoro-staging answered 503/);
    expect(api.requests).toHaveLength(4);
  });

  it('retries when the API does not answer at all, then says which call failed', async () => {
    const api = await start();
    await api.close();
    const { error, lines } = await rollOut(api);
    expect(error?.message).toMatch(
      /^GET \/endpoint\/read-aloud\/kokoro-staging got no answer: fetch failed$/,
    );
    expect(lines.filter((l) => l.endsWith('retries left)'))).toHaveLength(3);
  });

  it('puts the previous image and its env back when the update fails, and says so', async () => {
    const api = await start({
      env: { MODEL_DIR: '/repository', OLD_SETTING: 'kept' },
      outcome: (image) => (image === NEXT ? 'updateFailed' : 'running'),
    });
    const { error } = await rollOut(api);
    expect(error).toBeInstanceOf(RolloutError);
    expect(error?.message).toMatch(
      /rollout of .*b{64} failed: endpoint went updateFailed: .*; restored the previous image .*a{64}/,
    );
    expect(api.imagesPut).toEqual([NEXT, PREVIOUS]);
    expect(puts(api).at(-1)!.body).toEqual({
      model: {
        image: { custom: { url: PREVIOUS, healthRoute: '/health', port: 8080 } },
        env: { MODEL_DIR: '/repository', OLD_SETTING: 'kept' },
      },
    });
    expect(api.currentImage()).toBe(PREVIOUS);
    expect(api.env()).toEqual({ MODEL_DIR: '/repository', OLD_SETTING: 'kept' });
  });

  it('waits for the update to begin when the API still reports the old replicas as running', async () => {
    const api = await start({
      updateLagPolls: 3,
      outcome: (image) => (image === NEXT ? 'updateFailed' : 'running'),
    });
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(/endpoint went updateFailed/);
    expect(api.imagesPut).toEqual([NEXT, PREVIOUS]);
  });

  it('repairs an endpoint whose last update had failed, not mistaking that failure for its own', async () => {
    const api = await start({ state: 'updateFailed', updateLagPolls: 2 });
    const { error } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(api.imagesPut).toEqual([NEXT]);
  });

  it('puts the previous image back when the endpoint fails', async () => {
    const api = await start({ outcome: (image) => (image === NEXT ? 'failed' : 'running') });
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(/endpoint went failed/);
    expect(api.imagesPut).toEqual([NEXT, PREVIOUS]);
  });

  it('puts the previous image back on timeout', async () => {
    const api = await start({ outcome: (image) => (image === NEXT ? 'stuck' : 'running') });
    const { error } = await rollOut(api, { timeoutMs: 50 });
    expect(error?.message).toMatch(
      /timed out after 0.05s waiting for running .* \(last state: updating\); restored the previous image/,
    );
    expect(api.imagesPut).toEqual([NEXT, PREVIOUS]);
  });

  it('does not count a running endpoint whose health route fails as rolled out', async () => {
    const api = await start({ healthStatus: 503 });
    const { error } = await rollOut(api, { timeoutMs: 50 });
    expect(error?.message).toMatch(/timed out .*\/health answering 200 \(last state: running\)/);
    expect(api.imagesPut).toEqual([NEXT, PREVIOUS]);
  });

  it('stops at a 401 with a clear error and no retry', async () => {
    const api = await start();
    const { error } = await rollOut(api, { token: 'hf_wrong' });
    expect(error?.message).toBe(
      'GET /endpoint/read-aloud/kokoro-staging answered 401: Invalid credentials in Authorization header',
    );
    expect(api.requests).toHaveLength(1);
  });

  it('does not retry other 4xx answers', async () => {
    const api = await start({
      failures: [{ method: 'PUT', status: 400, body: { error: 'bad image' } }],
    });
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(/PUT .* answered 400: bad image/);
    expect(puts(api)).toHaveLength(1);
    expect(api.currentImage()).toBe(PREVIOUS);
  });

  for (const putWhileUpdating of ['conflict', 'queue'] as const) {
    it(`waits for an update already in progress before its own (PUT during updating: ${putWhileUpdating})`, async () => {
      const api = await start({ state: 'updating', putWhileUpdating });
      const { error } = await rollOut(api);
      expect(error).toBeUndefined();
      expect(puts(api).map((r) => r.status)).toEqual([200]);
      expect(api.currentImage()).toBe(NEXT);
    });
  }
});

describe('hf-endpoint-rollout as a program', () => {
  const script = join(__dirname, 'hf-endpoint-rollout.ts');
  const run = (env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      env: { PATH: process.env.PATH ?? '', ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: error.stdout + error.stderr,
      }),
    );
  const envFor = (api: FakeHfEndpoints) => ({
    HF_TOKEN: TOKEN,
    HF_ENDPOINTS_API_URL: api.apiBase,
    HF_ENDPOINT_NAMESPACE: 'read-aloud',
    HF_ENDPOINT_NAME: 'kokoro-staging',
    HF_ENDPOINT_IMAGE: NEXT,
    HF_ENDPOINT_ENV: JSON.stringify(ENV),
    HF_ENDPOINT_SECRETS: JSON.stringify(SECRETS),
    HF_ENDPOINT_POLL_SECONDS: '0.01',
  });

  it('rolls out from its environment and exits 0', async () => {
    const api = await start();
    const { code, output } = await run(envFor(api));
    expect(code).toBe(0);
    expect(output).toMatch(/is running .*b{64} and healthy/);
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(SECRET);
    expect(puts(api)[0]!.body).toMatchObject({ model: { env: ENV, secrets: SECRETS } });
  });

  it('restores the previous image and exits non-zero when the update fails', async () => {
    const api = await start({ outcome: (image) => (image === NEXT ? 'updateFailed' : 'running') });
    const { code, output } = await run(envFor(api));
    expect(code).toBe(1);
    expect(output).toMatch(
      /FAILED: rollout of .* failed: endpoint went updateFailed.*restored the previous image/,
    );
    expect(output).not.toContain(TOKEN);
    expect(api.currentImage()).toBe(PREVIOUS);
  });

  it('names what is wrong with its environment without printing values', async () => {
    const { code, output } = await run({
      HF_TOKEN: TOKEN,
      HF_ENDPOINT_NAMESPACE: 'read-aloud',
      HF_ENDPOINT_IMAGE: 'hf-handler:latest',
      HF_ENDPOINT_SECRETS: `{"KEY": ${JSON.stringify(SECRET)}`,
    });
    expect(code).toBe(1);
    expect(output).toMatch(/HF_ENDPOINT_NAME: /);
    expect(output).toMatch(/HF_ENDPOINT_IMAGE must be repo@sha256:<64 hex digits>/);
    expect(output).toMatch(/HF_ENDPOINT_SECRETS must be a JSON object of strings/);
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(SECRET);
  });
});

describe('optionsFromEnv', () => {
  it('fills the defaults the endpoint and handler agree on', () => {
    const options = optionsFromEnv(
      {
        HF_TOKEN: TOKEN,
        HF_ENDPOINT_NAMESPACE: 'ns',
        HF_ENDPOINT_NAME: 'ep',
        HF_ENDPOINT_IMAGE: NEXT,
      },
      () => {},
    );
    expect(options).toMatchObject({
      apiBase: 'https://api.endpoints.huggingface.cloud/v2',
      env: {},
      secrets: {},
      healthRoute: '/health',
      port: 8080,
      timeoutMs: 1_800_000,
      pollMs: 15_000,
    });
  });
});
