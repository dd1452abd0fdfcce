import { describe, expect, it } from 'vitest';
import { optionsFromEnv } from './hf-endpoint-rollout';
import { STAGING_COMPUTE as STAGING } from './testing/compute';
import type { FakeHfEndpoints } from './testing/fake-hf-endpoints';
import {
  NEXT_IMAGE as NEXT,
  PREVIOUS_IMAGE as PREVIOUS,
  rolloutAgainstFake,
  useFakeHfEndpoints,
} from './testing/rollout-harness';

const TOKEN = 'hf_manage_token_do_not_print';
const SECRET = 'inference-secret-value';
const start = useFakeHfEndpoints(TOKEN);

const rollOut = rolloutAgainstFake(TOKEN, [SECRET], {
  env: { PORT: '8080' },
  secrets: { KEY: SECRET },
  compute: STAGING,
  repository: 'hexgrad/Kokoro-82M',
  settlePolls: 1,
  retry: { retries: 2, startingDelayMs: 1 },
});

const calls = (api: FakeHfEndpoints) =>
  api.requests.filter((r) => !r.path.startsWith('/serving')).map((r) => `${r.method} ${r.status}`);

describe('the endpoint declared whole', () => {
  it('creates a missing endpoint with its compute, provider, image, env and secrets, and answers its URL', async () => {
    const api = await start({ exists: false });
    const { url, error, lines } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(url).toBe(`${api.apiBase.replace(/\/v2$/, '')}/serving`);
    const create = api.requests.find((r) => r.method === 'POST');
    expect(create?.path).toBe('/v2/endpoint/read-aloud');
    expect(create?.body).toEqual({
      name: 'kokoro-staging',
      type: 'protected',
      provider: { vendor: 'aws', region: 'us-east-1' },
      compute: {
        accelerator: 'cpu',
        instanceType: 'intel-spr',
        instanceSize: 'x2',
        scaling: { minReplica: 0, maxReplica: 1, scaleToZeroTimeout: 15 },
      },
      model: {
        repository: 'hexgrad/Kokoro-82M',
        framework: 'custom',
        task: 'custom',
        image: { custom: { url: NEXT, healthRoute: '/health', port: 8080 } },
        env: { PORT: '8080' },
        secrets: { KEY: SECRET },
      },
    });
    expect(api.currentImage()).toBe(NEXT);
    expect(calls(api).slice(0, 2)).toEqual(['GET 404', 'POST 200']);
    expect(lines).toContain(
      'endpoint read-aloud/kokoro-staging created, running ' + NEXT + ' and healthy',
    );
  });

  it('a compute change alone goes through the same rollout: one PUT with the new scaling, the image unchanged', async () => {
    const api = await start({ image: NEXT });
    const prod = { ...STAGING, minReplica: 1, maxReplica: 2, scaleToZeroTimeout: undefined };
    const { error } = await rollOut(api, { compute: prod });
    expect(error).toBeUndefined();
    const puts = api.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect((puts[0]?.body as { compute: unknown }).compute).toEqual({
      accelerator: 'cpu',
      instanceType: 'intel-spr',
      instanceSize: 'x2',
      scaling: { minReplica: 1, maxReplica: 2 },
    });
    expect(api.compute()).toEqual((puts[0]?.body as { compute: unknown }).compute);
    expect(api.currentImage()).toBe(NEXT);
  });

  it('a failed update restores the previous compute with the previous image', async () => {
    const api = await start({ outcome: (image) => (image === NEXT ? 'updateFailed' : 'running') });
    const before = api.compute();
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(/restored the previous image/);
    expect(api.compute()).toEqual(before);
    expect(api.currentImage()).toBe(PREVIOUS);
  });

  it('adopts an endpoint whose create is refused with 409 (the name exists) and rolls it out', async () => {
    // The list hides it and GET says 404 once, as when another run created it a moment ago.
    const api = await start({
      failures: [{ method: 'GET', status: 404, body: { error: 'Endpoint not found' } }],
    });
    const { error, lines } = await rollOut(api);
    expect(error).toBeUndefined();
    expect(calls(api).slice(0, 3)).toEqual(['GET 404', 'POST 409', 'GET 200']);
    expect(lines).toContain(
      'POST /endpoint/read-aloud answered 409: Endpoint name already exists; adopting the existing endpoint and rolling it out',
    );
    expect(api.currentImage()).toBe(NEXT);
  });

  it('a created endpoint that never comes up fails clearly, with nothing to restore', async () => {
    const api = await start({ exists: false, outcome: () => 'failed' });
    const { error } = await rollOut(api);
    expect(error?.message).toMatch(
      /^endpoint read-aloud\/kokoro-staging was created but did not come up on .*: endpoint went failed/,
    );
    expect(api.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  });

  it('refuses to create without a declared compute, and changes nothing', async () => {
    const api = await start({ exists: false });
    const { error } = await rollOut(api, { compute: undefined });
    expect(error?.message).toMatch(/does not exist, and creating it needs HF_ENDPOINT_COMPUTE/);
    expect(api.exists()).toBe(false);
  });

  it('reads the compute from HF_ENDPOINT_COMPUTE and names what is wrong with it', () => {
    const env = {
      HF_TOKEN: TOKEN,
      HF_ENDPOINT_NAMESPACE: 'read-aloud',
      HF_ENDPOINT_NAME: 'kokoro-staging',
      HF_ENDPOINT_IMAGE: NEXT,
      HF_ENDPOINT_REPOSITORY: 'hexgrad/Kokoro-82M',
    };
    const options = optionsFromEnv(
      { ...env, HF_ENDPOINT_COMPUTE: JSON.stringify(STAGING) },
      () => {},
    );
    expect(options).toMatchObject({ compute: STAGING, repository: 'hexgrad/Kokoro-82M' });
    expect(() =>
      optionsFromEnv(
        {
          ...env,
          HF_ENDPOINT_COMPUTE: JSON.stringify({ ...STAGING, minReplica: 2, maxReplica: 1 }),
        },
        () => {},
      ),
    ).toThrow(
      /HF_ENDPOINT_COMPUTE must be a JSON compute \(value: minReplica must not exceed maxReplica\)/,
    );
    expect(() =>
      optionsFromEnv(
        {
          ...env,
          HF_ENDPOINT_COMPUTE: JSON.stringify({ ...STAGING, scaleToZeroTimeout: undefined }),
        },
        () => {},
      ),
    ).toThrow(/scales to zero .* needs scaleToZeroTimeout/);
  });
});
