import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callManagementApi, RATE_LIMIT_WINDOW_MS, type ApiTarget } from './management-api';
import { FakeManagementApi } from './testing/fake-management-api';

const REF = 'stagingrefaaaaaaaaaa';
let api: FakeManagementApi;
let target: ApiTarget;
let waits: number[];
const sleep = async (ms: number) => {
  waits.push(ms);
};

beforeEach(async () => {
  api = await new FakeManagementApi().start();
  api.addProject(REF);
  target = { projectRef: REF, apiUrl: api.url, accessToken: api.token };
  waits = [];
});
afterEach(() => api.stop());

const createSecret = () =>
  callManagementApi(target, 'POST /secrets', {
    body: [{ name: 'HF_TOKEN', value: 'hf_x' }],
    startingDelayMs: 1,
    sleep,
  });

describe('rate limits', () => {
  it('waits for the window to reset, as X-RateLimit-Reset says, before retrying', async () => {
    api.rateLimitResetSeconds = 42;
    api.failures = [429];
    await createSecret();
    expect(waits).toEqual([42_000]);
    expect(api.projects.get(REF)?.secrets.get('HF_TOKEN')).toBe('hf_x');
  });

  it('outlasts four whole windows in a row, waiting each out', async () => {
    api.rateLimitResetSeconds = 60;
    api.failures = [429, 429, 429, 429];
    await createSecret();
    expect(waits).toEqual([60_000, 60_000, 60_000, 60_000]);
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(5);
  });

  it('waits a whole window when the 429 carries no reset, and never longer than one', async () => {
    api.rateLimitResetSeconds = undefined;
    api.failures = [429];
    await createSecret();
    api.rateLimitResetSeconds = 1_767_225_600;
    api.failures = [429];
    await createSecret();
    expect(waits).toEqual([RATE_LIMIT_WINDOW_MS, RATE_LIMIT_WINDOW_MS]);
  });

  it('does not wait after the last attempt, and names the status', async () => {
    api.failures = [429, 429, 429, 429, 429];
    await expect(createSecret()).rejects.toThrow(/POST \/secrets .* failed with HTTP 429/);
    expect(waits).toHaveLength(4);
  });
});

describe('an empty 2xx body', () => {
  for (const contentType of [undefined, 'application/json', 'application/json; charset=utf-8'])
    it(`is a success, sent once, with content type ${contentType ?? 'none'}`, async () => {
      api.secretsCreatedContentType = contentType;
      await expect(createSecret()).resolves.toBeUndefined();
      expect(api.requests.map((r) => r.method)).toEqual(['POST']);
      expect(api.projects.get(REF)?.secrets.get('HF_TOKEN')).toBe('hf_x');
    });
});
