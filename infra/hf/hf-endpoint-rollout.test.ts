import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HANDLER_PORT, HEALTH_ROUTE, REPOSITORY_PATH } from '../../speech/index.ts';
import { optionsFromEnv, RolloutError } from './hf-endpoint-rollout';
import { HF_ENDPOINTS_API, retryAfterMs, servesUnderApi } from './hf-endpoints-client';
import type { FakeHfEndpoints } from './testing/fake-hf-endpoints';
import {
  NEXT_IMAGE as NEXT,
  PREVIOUS_IMAGE as PREVIOUS,
  rolloutAgainstFake,
  useFakeHfEndpoints,
} from './testing/rollout-harness';

const TOKEN = 'hf_test_token_do_not_print';
// Regular-expression metacharacters and JSON escapes: an echo must not slip past redaction.
const SECRET = 'service-role.*+?^${}()|[x]\\"value"$&';
const OTHER = `registry.example/read-aloud/hf-handler@sha256:${'c'.repeat(64)}`;
const ENV = { MODEL_DIR: REPOSITORY_PATH, PORT: String(HANDLER_PORT) };
const SECRETS = { SUPABASE_KEY: SECRET, SAME_VALUE_AGAIN: SECRET };

const start = useFakeHfEndpoints(TOKEN);

const rollOut = rolloutAgainstFake(
  TOKEN,
  [SECRET, JSON.stringify(SECRET).slice(1, -1), 'service-role'],
  { env: ENV, secrets: SECRETS, settlePolls: 3, retry: { retries: 3, startingDelayMs: 1 } },
);

const puts = (api: FakeHfEndpoints) => api.requests.filter((r) => r.method === 'PUT');
const healthProbes = (api: FakeHfEndpoints) =>
  api.requests.filter((r) => r.path === '/serving/health');

describe('rollOutEndpoint against a fake Hugging Face Endpoints API', () => {
  it('reads the current image, PUTs the new image with env and secrets, and waits for running and healthy', async () => {
    const api = await start();
    const { error, lines } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(lines.slice(0, 2)).toEqual([
      `endpoint read-aloud/kokoro-staging is running on ${PREVIOUS}`,
      `updated to ${NEXT} with 2 env vars and 2 secrets; waiting for running`,
    ]);
    expect(lines.filter((l) => l.startsWith(`state running on ${NEXT}`))).toHaveLength(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        `state updating on ${NEXT}: Endpoint waiting for the update`,
        `state running on ${NEXT}: Endpoint is ready`,
        `endpoint read-aloud/kokoro-staging is running ${NEXT} and healthy`,
      ]),
    );
    expect(puts(api).map((r) => r.body)).toEqual([
      {
        model: {
          image: { custom: { url: NEXT, healthRoute: HEALTH_ROUTE, port: HANDLER_PORT } },
          env: ENV,
          secrets: SECRETS,
        },
      },
    ]);
    expect(api.requests[0]).toMatchObject({
      method: 'GET',
      path: '/v2/endpoint/read-aloud/kokoro-staging',
    });
    // Stable means healthy on the first running poll and on each of the settle polls after it.
    expect(healthProbes(api).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(api.currentImage()).toBe(NEXT);
    expect(api.secrets()).toEqual(SECRETS);
  });

  for (const transitions of [['pending'], ['initializing'], ['pending', 'initializing']] as const) {
    it(`waits through ${transitions.join(' then ')}, even when the PUT answer still says running`, async () => {
      const api = await start({
        transitions: [...transitions],
        updateLagPolls: 1,
        outcome: (image) => (image === NEXT ? 'updateFailed' : 'running'),
      });
      const { error, lines } = await rollOut(api);
      for (const state of transitions) {
        expect(lines).toContain(`state ${state} on ${NEXT}: Endpoint is ${state}`);
      }
      // Had the transitional state gone unnoticed, the old replicas' failure would be ignored.
      expect(error?.message).toMatch(/endpoint went updateFailed/);
    });
  }

  it('counts an update that begins in its PUT answer even when no poll sees it in progress', async () => {
    const api = await start({ settleAfterPolls: 0 });
    const { error } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(api.currentImage()).toBe(NEXT);
  });

  it('does not take the old replicas, still running, for the new image', async () => {
    const api = await start({ updateLagPolls: 6 });
    const { error, lines } = await rollOut(api);
    expect(error).toBeUndefined();
    const updating = lines.indexOf(`state updating on ${NEXT}: Endpoint waiting for the update`);
    expect(updating).toBeGreaterThan(0);
    expect(
      lines.indexOf(`endpoint read-aloud/kokoro-staging is running ${NEXT} and healthy`),
    ).toBeGreaterThan(updating);
  });

  it('gives up on a PUT refused with 409 until its deadline', async () => {
    const api = await start({ failures: Array(40).fill({ method: 'PUT', status: 409 }) });
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(/^PUT .* answered 409: Internal server error$/);
    expect(puts(api).length).toBeGreaterThan(5);
    expect(puts(api).length).toBeLessThan(40);
    expect(api.currentImage()).toBe(PREVIOUS);
  });

  it('waits for an endpoint still initializing before it sends its update', async () => {
    const api = await start({ state: 'initializing', transitions: ['initializing'] });
    const { error, lines } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(lines[0]).toBe('waiting for the initializing endpoint to settle before updating');
    const firstPut = api.requests.findIndex((r) => r.method === 'PUT');
    expect(api.requests.slice(0, firstPut).filter((r) => r.method === 'GET').length).toBe(3);
    expect(puts(api).map((r) => r.status)).toEqual([200]);
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
    expect(lines.join('\n')).toMatch(
      /answered 429: Too many requests; retrying in \d+\.\ds \(2 retries left\)/,
    );
    expect(api.currentImage()).toBe(NEXT);
  });

  it('never retries a 429 sooner than its Retry-After or RateLimit header says', async () => {
    const api = await start({
      failures: [
        { method: 'GET', status: 429, headers: { 'retry-after': '30' } },
        {
          method: 'PUT',
          status: 429,
          headers: {
            ratelimit: '"api";r=0;t=55, "burst";r=9;t=1',
            'ratelimit-policy': '"fixed window";"api";q=500;w=300',
          },
        },
      ],
    });
    const { error, lines, clock } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(30_000);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(55_000);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GET .* answered 429: .*; retrying in 30\.0s \(3 retries left\)$/),
        expect.stringMatching(/^PUT .* answered 429: .*; retrying in 55\.0s \(3 retries left\)$/),
      ]),
    );
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

  it('puts the previous image and its env back when the update fails, and says so once it runs healthy', async () => {
    const api = await start({
      env: { MODEL_DIR: REPOSITORY_PATH, OLD_SETTING: 'kept' },
      outcome: (image) => (image === NEXT ? 'updateFailed' : 'running'),
    });
    const { error } = await rollOut(api);
    expect(error).toBeInstanceOf(RolloutError);
    expect(error?.message).toMatch(
      /^rollout of .*b{64} failed: endpoint went updateFailed: .*; restored the previous image .*a{64}, running and healthy$/,
    );
    expect(api.imagesPut).toEqual([NEXT, PREVIOUS]);
    expect(puts(api).at(-1)!.body).toEqual({
      model: {
        image: { custom: { url: PREVIOUS, healthRoute: HEALTH_ROUTE, port: HANDLER_PORT } },
        env: { MODEL_DIR: REPOSITORY_PATH, OLD_SETTING: 'kept' },
      },
    });
    expect(api.currentImage()).toBe(PREVIOUS);
    expect(api.state()).toBe('running');
    expect(api.env()).toEqual({ MODEL_DIR: REPOSITORY_PATH, OLD_SETTING: 'kept' });
    expect(healthProbes(api).at(-1)?.status).toBe(200);
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

  it('counts an endpoint that runs and then fails within the settle window as a failed rollout', async () => {
    const api = await start({
      outcome: (image) => (image === NEXT ? 'runsThenFails' : 'running'),
    });
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(
      /^rollout of .*b{64} failed: endpoint went failed: .*; restored the previous image .*a{64}, running and healthy$/,
    );
    expect(healthProbes(api).filter((r) => r.status === 200).length).toBeGreaterThan(1);
    expect(api.imagesPut).toEqual([NEXT, PREVIOUS]);
    expect(api.currentImage()).toBe(PREVIOUS);
  });

  it('puts the previous image back on timeout, with a heartbeat while it waits', async () => {
    const api = await start({ outcome: (image) => (image === NEXT ? 'stuck' : 'running') });
    const { error, lines } = await rollOut(api, { heartbeatMs: 5_000 });
    expect(error?.message).toMatch(
      /timed out after 20s waiting for running on .*b{64} with \/health answering 200 for 4 polls \(last state: updating on .*b{64}\); restored the previous image/,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        `still waiting for running on ${NEXT} with /health answering 200 for 4 polls: updating on ${NEXT}, 5s elapsed, deadline in 15s`,
        expect.stringMatching(
          /^still waiting for .*: updating on .*b{64}, 10s elapsed, deadline in 10s$/,
        ),
      ]),
    );
    expect(lines.filter((l) => l.startsWith(`still waiting for running on ${NEXT}`))).toHaveLength(
      3,
    );
    expect(lines).toContain(
      `rollout failed (timed out after 20s waiting for running on ${NEXT} with /health answering 200 for 4 polls (last state: updating on ${NEXT})); restoring ${PREVIOUS}`,
    );
    expect(api.imagesPut).toEqual([NEXT, PREVIOUS]);
  });

  it('does not count a running endpoint whose health route fails as rolled out, nor as restored', async () => {
    const api = await start({ healthStatus: 503 });
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(
      /^rollout of .*b{64} failed: timed out .*\/health answering 200 .*\(last state: running on .*b{64}\); restoring the previous image .*a{64} ALSO failed: timed out .*\(last state: running on .*a{64}\)/,
    );
    expect(api.imagesPut).toEqual([NEXT, PREVIOUS]);
  });

  it('fails loudly, naming both images, when the restored image fails too', async () => {
    const api = await start({ outcome: () => 'failed' });
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(
      /^rollout of .*b{64} failed: endpoint went failed: .*; restoring the previous image .*a{64} ALSO failed: endpoint went failed: .*needs a hand/,
    );
    expect(error?.message).not.toMatch(/restored/);
    expect(api.imagesPut).toEqual([NEXT, PREVIOUS]);
  });

  it('fails loudly when the restoring PUT itself is refused', async () => {
    const api = await start({
      outcome: (image) => (image === NEXT ? 'failed' : 'running'),
      failures: Array(4).fill({ method: 'PUT', status: 500, after: 1 }),
    });
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(
      /restoring the previous image .*a{64} ALSO failed: PUT \/endpoint\/read-aloud\/kokoro-staging answered 500/,
    );
    expect(api.currentImage()).toBe(NEXT);
  });

  it('never declares done while another image runs: an update that replaced ours is a failure', async () => {
    const api = await start({ interloper: { image: OTHER, at: 'running' } });
    const { error, lines } = await rollOut(api);
    expect(lines).toContain(`state running on ${OTHER}: Endpoint is ready`);
    expect(error?.message).toMatch(
      /timed out .*\(last state: running on .*c{64}\); restored the previous image .*a{64}/,
    );
    expect(lines.join('\n')).not.toMatch(/is running .* and healthy/);
  });

  it('waits out another update when its PUT is answered 409, then applies its own', async () => {
    const api = await start({
      interloper: { image: OTHER, at: 'put' },
      putWhileUpdating: 'conflict',
    });
    const { error, lines } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(puts(api).map((r) => r.status)).toEqual([409, 200]);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/answered 409: .*; waiting for the other update to settle$/),
        `state running on ${OTHER}: Endpoint is ready`,
      ]),
    );
    expect(api.currentImage()).toBe(NEXT);
  });

  it('follows a PUT queued behind another update until its own image runs', async () => {
    const api = await start({ interloper: { image: OTHER, at: 'put' }, putWhileUpdating: 'queue' });
    const { error, lines } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(lines.indexOf(`state running on ${OTHER}: Endpoint is ready`)).toBeLessThan(
      lines.indexOf(`state running on ${NEXT}: Endpoint is ready`),
    );
    expect(api.currentImage()).toBe(NEXT);
    expect(api.state()).toBe('running');
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

  it('stops at a 401 with a clear error naming the variable to check, and no retry', async () => {
    const api = await start();
    const { error } = await rollOut(api, { token: 'hf_wrong' });
    expect(error?.message).toBe(
      "GET /endpoint/read-aloud/kokoro-staging answered 401: Invalid credentials in Authorization header (check HF_TOKEN: it must be a Hugging Face token with write access to the endpoint's namespace)",
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

  it('redacts every echo of the token and of every secret value from errors', async () => {
    const api = await start({ failures: [{ method: 'PUT', status: 400, echo: true }] });
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(/PUT .* answered 400: Rejected PUT /);
    expect(error?.message.match(/\[secret\]/g)).toHaveLength(4);
  });

  it('redacts the echo from the retry lines it logs too', async () => {
    const api = await start({ failures: [{ method: 'GET', status: 503, echo: true }] });
    const { error, lines } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(lines[0]).toMatch(/^GET .* answered 503: Rejected GET .*\[secret\].*retries left\)$/);
  });

  it('sends the token to no host but the endpoint API domain', async () => {
    const elsewhere: string[] = [];
    const foreign = createServer((req, res) => {
      elsewhere.push(req.url ?? '');
      res.end('{}');
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    try {
      const servingUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/serving`;
      const api = await start({ servingUrl });
      const { error } = await rollOut(api);
      expect(error?.message).toContain(
        `failed: refusing to send the token to ${servingUrl}: an endpoint of ${api.apiBase} must serve under its domain`,
      );
      expect(elsewhere).toEqual([]);
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });
});

describe('servesUnderApi', () => {
  it("accepts only an https endpoint host under the API's own domain", () => {
    for (const url of [
      'https://xyz123.us-east-1.aws.endpoints.huggingface.cloud',
      'https://xyz123.us-east-1.aws.endpoints.huggingface.cloud/',
    ]) {
      expect(servesUnderApi(HF_ENDPOINTS_API, url)).toBe(true);
    }
    for (const url of [
      'http://xyz123.us-east-1.aws.endpoints.huggingface.cloud',
      'https://xyz123.us-east-1.aws.endpoints.huggingface.cloud:8443',
      'https://xyz.endpoints.huggingface.cloud.attacker.example',
      'https://attackerendpoints.huggingface.cloud',
      'https://user:pw@xyz.endpoints.huggingface.cloud',
      'https://huggingface.cloud',
      'not a url',
    ]) {
      expect(servesUnderApi(HF_ENDPOINTS_API, url), url).toBe(false);
    }
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const wait = (headers: Record<string, string>) => retryAfterMs(new Headers(headers), now);

  it('reads Retry-After as seconds or as a date', () => {
    expect(wait({ 'retry-after': '12' })).toBe(12_000);
    expect(wait({ 'retry-after': new Date(now + 40_000).toUTCString() })).toBe(40_000);
  });

  it('reads the reset of the exhausted RateLimit policy, or the longest if none is exhausted', () => {
    expect(wait({ ratelimit: '"api";r=0;t=55, "burst";r=3;t=90' })).toBe(55_000);
    expect(wait({ ratelimit: '"api";r=2;t=5, "burst";r=3;t=9' })).toBe(9_000);
  });

  it('takes the longer of the two, and nothing from absent, past or malformed headers', () => {
    expect(wait({ 'retry-after': '70', ratelimit: '"api";r=0;t=55' })).toBe(70_000);
    expect(wait({})).toBe(0);
    expect(wait({ 'retry-after': new Date(now - 5_000).toUTCString() })).toBe(0);
    expect(wait({ 'retry-after': 'soon', ratelimit: 'garbage' })).toBe(0);
  });
});

describe('hf-endpoint-rollout as a program', () => {
  const script = join(__dirname, 'hf-endpoint-rollout.ts');
  const run = (env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      env: { PATH: process.env.PATH ?? '', ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, output: stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        stdout: error.stdout,
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

  it('rolls out from its environment and exits 0, every log line timestamped on stderr and the URL alone on stdout', async () => {
    const api = await start();
    const { code, stdout, output } = await run(envFor(api));
    expect(code).toBe(0);
    expect(stdout).toBe(`${api.apiBase.replace(/\/v2$/, '')}/serving\n`);
    expect(output).toMatch(/is running .*b{64} and healthy/);
    for (const line of output.trim().split('\n')) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z hf-endpoint-rollout: /);
    }
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
  const valid = {
    HF_TOKEN: TOKEN,
    HF_ENDPOINT_NAMESPACE: 'ns',
    HF_ENDPOINT_NAME: 'ep',
    HF_ENDPOINT_IMAGE: NEXT,
  };
  const problem = (env: Record<string, string>) => {
    try {
      optionsFromEnv({ ...valid, ...env }, () => {});
    } catch (error) {
      expect(error).toBeInstanceOf(RolloutError);
      expect((error as Error).message).not.toContain(SECRET);
      return (error as Error).message;
    }
    throw new Error('expected the environment to be refused');
  };

  it('names each bad variable and why, never its value', () => {
    expect(problem({ HF_ENDPOINT_NAME: '' })).toMatch(/^HF_ENDPOINT_NAME: /);
    expect(problem({ HF_TOKEN: '' })).toBe('HF_TOKEN: HF_TOKEN is required');
    for (const image of [`x ${NEXT}`, `${NEXT}0`, 'hf-handler:latest']) {
      expect(problem({ HF_ENDPOINT_IMAGE: image })).toBe(
        'HF_ENDPOINT_IMAGE: HF_ENDPOINT_IMAGE must be repo@sha256:<64 hex digits>',
      );
    }
    expect(problem({ HF_ENDPOINT_SECRETS: `{"K": ${JSON.stringify(SECRET)}` })).toBe(
      'HF_ENDPOINT_SECRETS: HF_ENDPOINT_SECRETS must be a JSON object of strings',
    );
    expect(problem({ HF_ENDPOINT_ENV: '{"K": 1}' })).toBe(
      'HF_ENDPOINT_ENV: HF_ENDPOINT_ENV must be a JSON object of strings',
    );
    expect(problem({ HF_ENDPOINT_HEALTH_ROUTE: 'health/' })).toMatch(/^HF_ENDPOINT_HEALTH_ROUTE: /);
    for (const port of ['0', '65536']) {
      expect(problem({ HF_ENDPOINT_PORT: port })).toMatch(/^HF_ENDPOINT_PORT: /);
    }
    expect(problem({ HF_ENDPOINT_SETTLE_POLLS: '-1' })).toMatch(/^HF_ENDPOINT_SETTLE_POLLS: /);
    expect(problem({ HF_ENDPOINT_NAME: '', HF_ENDPOINT_PORT: '0' })).toMatch(
      /^HF_ENDPOINT_NAME: .*; HF_ENDPOINT_PORT: /,
    );
  });

  it.each([
    [
      'takes every setting from the environment',
      {
        HF_ENDPOINT_ENV: JSON.stringify(ENV),
        HF_ENDPOINT_SECRETS: JSON.stringify(SECRETS),
        HF_ENDPOINT_HEALTH_ROUTE: '/ready',
        HF_ENDPOINT_PORT: '65535',
        HF_ENDPOINT_TIMEOUT_SECONDS: '60',
        HF_ENDPOINT_POLL_SECONDS: '2',
        HF_ENDPOINTS_API_URL: 'http://127.0.0.1:9/v2/',
      },
      {
        apiBase: 'http://127.0.0.1:9/v2',
        token: TOKEN,
        namespace: 'ns',
        name: 'ep',
        image: NEXT,
        env: ENV,
        secrets: SECRETS,
        healthRoute: '/ready',
        port: 65535,
        timeoutMs: 60_000,
        pollMs: 2_000,
        retry: { retries: 5, startingDelayMs: 1_000 },
      },
    ],
    [
      'fills the defaults the endpoint and handler agree on',
      {},
      {
        apiBase: 'https://api.endpoints.huggingface.cloud/v2',
        env: {},
        secrets: {},
        healthRoute: HEALTH_ROUTE,
        port: HANDLER_PORT,
        timeoutMs: 1_800_000,
        pollMs: 15_000,
        settlePolls: 3,
        heartbeatMs: 60_000,
      },
    ],
    [
      'reads the settle window and heartbeat from the environment',
      { HF_ENDPOINT_SETTLE_POLLS: '0', HF_ENDPOINT_HEARTBEAT_SECONDS: '5' },
      { settlePolls: 0, heartbeatMs: 5_000 },
    ],
  ])('%s', (_behaviour, env: Record<string, string>, expected) => {
    expect(optionsFromEnv({ ...valid, ...env }, () => {})).toMatchObject(expected);
  });
});
