import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionSecretsProvider, type FunctionSecretsState } from './function-secrets';
import { FakeManagementApi } from './testing/fake-management-api';
import { fakeProject, REF, type TestTarget } from './testing/fake-project';

const s = functionSecretsProvider as Required<typeof functionSecretsProvider>;
let api: FakeManagementApi;
let target: TestTarget;

beforeEach(async () => ({ api, target } = await fakeProject(1)));
afterEach(() => api.stop());

const inputs = (values: Record<string, string>) => ({ ...target, values });
const state = (digests: Record<string, string>): FunctionSecretsState => ({ ...target, digests });
const digestsOf = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, FakeManagementApi.digest(v)]));
const writes = () => api.requests.filter((r) => r.method !== 'GET');

describe('function secrets: names', () => {
  it('accepts letters, digits and _, and SUPABASE_ anywhere but at the start', async () => {
    const { failures } = await s.check(
      {},
      inputs({ STRIPE_SECRET_KEY: 'a', _PRIVATE: 'b', MY_SUPABASE_URL: 'c', k9: 'd' }),
    );
    expect(failures).toEqual([]);
  });

  it('rejects a leading digit and a lower-case supabase_ prefix, naming the values input', async () => {
    const { failures } = await s.check({}, inputs({ '9LIVES': 'a', supabase_key: 'b' }));
    expect(failures).toEqual([
      {
        property: 'values',
        reason:
          "secret name '9LIVES' is invalid: use letters, digits and _, not starting with SUPABASE_ (reserved)",
      },
      {
        property: 'values',
        reason:
          "secret name 'supabase_key' is invalid: use letters, digits and _, not starting with SUPABASE_ (reserved)",
      },
    ]);
  });
});

describe('function secrets: diff', () => {
  const same = { changes: false, replaces: [], deleteBeforeReplace: false };
  const changed = { changes: true, replaces: [], deleteBeforeReplace: false };

  it('sees nothing to do when every value matches its digest', async () => {
    expect(await s.diff('id', state(digestsOf({ A: '1' })), inputs({ A: '1' }))).toEqual(same);
  });

  it('sees a secret added as a change', async () => {
    const olds = state(digestsOf({ A: '1' }));
    expect(await s.diff('id', olds, inputs({ A: '1', B: '2' }))).toEqual(changed);
  });

  it('sees a secret removed as a change', async () => {
    const olds = state(digestsOf({ A: '1', B: '2' }));
    expect(await s.diff('id', olds, inputs({ A: '1' }))).toEqual(changed);
  });

  it('sees another API URL as a change', async () => {
    const olds = { ...state(digestsOf({ A: '1' })), apiUrl: 'http://127.0.0.1:1' };
    expect(await s.diff('id', olds, inputs({ A: '1' }))).toEqual(changed);
  });

  it('replaces the resource, creating before deleting, when the project changes', async () => {
    const olds = { ...state(digestsOf({ A: '1' })), projectRef: 'otherrefaaaaaaaaaaaa' };
    expect(await s.diff('id', olds, inputs({ A: '1' }))).toEqual({
      changes: true,
      replaces: ['projectRef'],
      deleteBeforeReplace: false,
    });
  });

  it('accepts a digest the API reports in upper-case hex or in base64', async () => {
    const digest = createHash('sha256').update('pässwörd').digest();
    for (const reported of [digest.toString('hex').toUpperCase(), digest.toString('base64')]) {
      const olds = state({ A: reported });
      expect(await s.diff('id', olds, inputs({ A: 'pässwörd' }))).toEqual(same);
    }
  });
});

describe('function secrets: writes', () => {
  it('writes the secrets, and keeps their digests, in name order', async () => {
    const { outs } = await s.create(inputs({ B: '2', A: '1' }));
    expect(writes()).toEqual([
      {
        method: 'POST',
        path: `/v1/projects/${REF}/secrets`,
        body: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
    ]);
    expect(Object.keys(outs.digests)).toEqual(['A', 'B']);

    api.requests.length = 0;
    await s.update('id', outs, inputs({ D: '4', C: '3', B: '2', A: '1' }));
    expect(writes()).toEqual([
      {
        method: 'POST',
        path: `/v1/projects/${REF}/secrets`,
        body: [
          { name: 'C', value: '3' },
          { name: 'D', value: '4' },
        ],
      },
    ]);
  });

  it('only deletes when secrets are only removed', async () => {
    const { outs } = await s.create(inputs({ A: '1', B: '2' }));
    api.requests.length = 0;
    await s.update('id', outs, inputs({ A: '1' }));
    expect(writes()).toEqual([
      { method: 'DELETE', path: `/v1/projects/${REF}/secrets`, body: ['B'] },
    ]);
  });

  it('sends nothing to delete when no secret was managed', async () => {
    await s.delete('id', state({}));
    expect(api.requests).toEqual([]);
  });
});

describe('function secrets: refresh and errors', () => {
  it('forgets a secret deleted behind its back, so refresh shows it missing', async () => {
    const { outs } = await s.create(inputs({ A: '1', B: '2' }));
    api.projects.get(REF)?.secrets.delete('B');
    const { props } = await s.read('id', outs);
    expect(props.digests).toStrictEqual(digestsOf({ A: '1' }));
    expect((await s.diff('id', props, inputs({ A: '1', B: '2' }))).changes).toBe(true);
  });

  it('names the call that failed: listing', async () => {
    api.failures = [500, 500, 500, 500, 500];
    await expect(s.read('id', state({ A: 'x' }))).rejects.toThrow(
      `Supabase Management API GET /secrets for project ${REF} failed with HTTP 500`,
    );
  });

  it('names the call that failed: deleting', async () => {
    api.failures = [500, 500, 500, 500, 500];
    await expect(s.delete('id', state({ A: 'x' }))).rejects.toThrow(
      `Supabase Management API DELETE /secrets for project ${REF} failed with HTTP 500`,
    );
  });
});
