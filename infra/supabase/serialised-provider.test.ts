import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInFreshProcess, serialisedProviders } from '../testing/serialise-providers';
import { FakeManagementApi } from './testing/fake-management-api';

const REF = 'stagingrefaaaaaaaaaa';
let serialised: Map<string, string>;
let api: FakeManagementApi;

beforeAll(async () => {
  api = await new FakeManagementApi().start();
  api.addProject(REF);
  serialised = serialisedProviders(path.join(__dirname, 'testing/serialise-providers.ts'));
  // Serialising loads the Pulumi SDK in a second process: seconds on a busy machine.
}, 60_000);
afterAll(() => api.stop());

const create = (name: string, inputs: unknown) =>
  createInFreshProcess(serialised.get(name) ?? '', inputs);

describe('dynamic providers as Pulumi serialises them', () => {
  it('are serialised as self-contained modules', () => {
    for (const name of ['secrets', 'settings']) {
      expect(serialised.get(name)).toContain('exports.handler');
    }
  });

  it('create secrets against the API from a fresh process', async () => {
    const run = await create('secrets', {
      projectRef: REF,
      apiUrl: api.url,
      accessToken: api.token,
      values: { HF_TOKEN: 'hf_x' },
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).outs.digests).toEqual({
      HF_TOKEN: FakeManagementApi.digest('hf_x'),
    });
    expect(api.projects.get(REF)?.secrets.get('HF_TOKEN')).toBe('hf_x');
  });

  it('create settings against the API from a fresh process', async () => {
    const run = await create('settings', {
      projectRef: REF,
      apiUrl: api.url,
      accessToken: api.token,
      auth: { jwt_exp: 900 },
      postgrest: { max_rows: 10 },
    });
    expect(run.stderr).toBe('');
    expect(api.projects.get(REF)?.auth.jwt_exp).toBe(900);
    expect(api.projects.get(REF)?.postgrest.max_rows).toBe(10);
  });

  it('read the anon key from the API in a fresh process', async () => {
    const run = await create('api-key', {
      projectRef: REF,
      apiUrl: api.url,
      accessToken: api.token,
      keyName: 'anon',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).outs.apiKey).toBe(api.projects.get(REF)?.apiKeys.get('anon'));
  });
});
