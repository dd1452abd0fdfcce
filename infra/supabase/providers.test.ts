import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionSecretsProvider, type FunctionSecretsState } from './function-secrets';
import { projectSettingsProvider, type ProjectSettingsState } from './project-settings';
import { FakeManagementApi } from './testing/fake-management-api';
import { fakeProject, REF, type TestTarget } from './testing/fake-project';

const SECRET = 'sk_test_SENTINEL_value_never_shown';
let api: FakeManagementApi;
let target: TestTarget;

beforeEach(async () => ({ api, target } = await fakeProject(5)));
afterEach(() => api.stop());

const p = projectSettingsProvider as Required<typeof projectSettingsProvider>;
const s = functionSecretsProvider as Required<typeof functionSecretsProvider>;
const settings = (): ProjectSettingsState => ({
  ...target,
  auth: {
    site_url: 'https://read-aloud.app',
    uri_allow_list: 'https://abc.chromiumapp.org/',
    jwt_exp: 3600,
  },
  postgrest: { db_schema: 'public', max_rows: 500 },
});
const writes = () => api.requests.filter((r) => r.method !== 'GET');

describe('project settings provider', () => {
  it('creates the declared keys and leaves the others alone', async () => {
    const { outs } = await p.create(settings());
    const project = api.projects.get(REF);
    expect(project?.auth).toMatchObject({
      site_url: 'https://read-aloud.app',
      jwt_exp: 3600,
      rate_limit_email_sent: 2,
    });
    expect(project?.postgrest).toMatchObject({
      db_schema: 'public',
      max_rows: 500,
      db_extra_search_path: 'public,extensions',
    });
    expect(outs).toEqual(settings());
  });

  it('sees no change when nothing changed', async () => {
    const { outs } = await p.create(settings());
    expect(await p.diff('id', outs, settings())).toEqual({ changes: false, replaces: [] });
  });

  it('updates one key by sending only that key', async () => {
    const { outs } = await p.create(settings());
    const next = settings();
    next.auth.jwt_exp = 7200;
    expect((await p.diff('id', outs, next)).changes).toBe(true);
    api.requests.length = 0;
    await p.update('id', outs, next);
    expect(writes()).toEqual([
      { method: 'PATCH', path: `/v1/projects/${REF}/config/auth`, body: { jwt_exp: 7200 } },
    ]);
  });

  it('reads a value changed behind its back, so refresh shows drift', async () => {
    const { outs } = await p.create(settings());
    (api.projects.get(REF)?.auth as Record<string, unknown>).site_url = 'https://evil.example';
    const { props } = await p.read('id', outs);
    expect(props.auth.site_url).toBe('https://evil.example');
    expect((await p.diff('id', props, settings())).changes).toBe(true);
  });

  it('retries 429 and 5xx, then succeeds', async () => {
    api.rateLimitResetSeconds = 0;
    api.failures = [429, 503, 500];
    await p.create(settings());
    expect(api.projects.get(REF)?.auth.site_url).toBe('https://read-aloud.app');
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(5);
  });

  it('fails clearly on 401, naming project, endpoint and status, never the token', async () => {
    const error = await p
      .create({ ...settings(), accessToken: 'sbp_wrong_token_SENTINEL' })
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Supabase Management API PATCH /config/auth for project ${REF} failed with HTTP 401: .*Unauthorized.*SUPABASE_ACCESS_TOKEN`,
      ),
    );
    expect((error as Error).message).not.toContain('SENTINEL');
    expect(api.requests).toHaveLength(1);
  });
});

describe('function secrets provider', () => {
  const inputs = (values: Record<string, string>) => ({ ...target, values });

  it('creates the secrets and keeps only their digests', async () => {
    const { id, outs } = await s.create(inputs({ STRIPE_SECRET_KEY: SECRET, HF_TOKEN: 'hf_abc' }));
    expect(id).toBe(`${REF}/secrets`);
    expect(api.projects.get(REF)?.secrets.get('STRIPE_SECRET_KEY')).toBe(SECRET);
    expect(outs.digests).toEqual({
      HF_TOKEN: FakeManagementApi.digest('hf_abc'),
      STRIPE_SECRET_KEY: FakeManagementApi.digest(SECRET),
    });
    expect(JSON.stringify(outs)).not.toContain(SECRET);
  });

  it('sees no change when the values match the digests', async () => {
    const { outs } = await s.create(inputs({ STRIPE_SECRET_KEY: SECRET }));
    expect((await s.diff('id', outs, inputs({ STRIPE_SECRET_KEY: SECRET }))).changes).toBe(false);
  });

  it('creates the secrets when the API answers 201 with an empty body labelled JSON', async () => {
    api.secretsCreatedContentType = 'application/json';
    const { outs } = await s.create(inputs({ HF_TOKEN: 'hf_abc' }));
    expect(outs.digests).toEqual({ HF_TOKEN: FakeManagementApi.digest('hf_abc') });
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('writes a secret added to an existing stack, and only that one', async () => {
    const { outs } = await s.create(inputs({ A: '1' }));
    api.requests.length = 0;
    const next = inputs({ A: '1', NEW: 'added' });
    expect((await s.diff('id', outs, next)).changes).toBe(true);
    const { outs: after } = await s.update('id', outs, next);
    expect(writes()).toEqual([
      {
        method: 'POST',
        path: `/v1/projects/${REF}/secrets`,
        body: [{ name: 'NEW', value: 'added' }],
      },
    ]);
    expect(api.projects.get(REF)?.secrets.get('NEW')).toBe('added');
    expect((after as FunctionSecretsState).digests.NEW).toBe(FakeManagementApi.digest('added'));
  });

  it('deletes a removed secret when nothing else changed', async () => {
    const { outs } = await s.create(inputs({ A: '1', GONE: '2' }));
    api.requests.length = 0;
    const next = inputs({ A: '1' });
    expect((await s.diff('id', outs, next)).changes).toBe(true);
    const { outs: after } = await s.update('id', outs, next);
    expect(writes()).toEqual([
      { method: 'DELETE', path: `/v1/projects/${REF}/secrets`, body: ['GONE'] },
    ]);
    expect(api.projects.get(REF)?.secrets.has('GONE')).toBe(false);
    expect(Object.keys((after as FunctionSecretsState).digests)).toEqual(['A']);
  });

  it('updates only the changed secret and deletes the removed one', async () => {
    const { outs } = await s.create(inputs({ A: '1', B: '2', C: '3' }));
    api.requests.length = 0;
    const next = inputs({ A: '1', B: 'changed' });
    expect((await s.diff('id', outs, next)).changes).toBe(true);
    const { outs: after } = await s.update('id', outs, next);
    expect(writes()).toEqual([
      {
        method: 'POST',
        path: `/v1/projects/${REF}/secrets`,
        body: [{ name: 'B', value: 'changed' }],
      },
      { method: 'DELETE', path: `/v1/projects/${REF}/secrets`, body: ['C'] },
    ]);
    expect(Object.keys((after as FunctionSecretsState).digests)).toEqual(['A', 'B']);
  });

  it('reads a value changed behind its back, so refresh shows drift', async () => {
    const { outs } = await s.create(inputs({ STRIPE_SECRET_KEY: SECRET }));
    api.projects.get(REF)?.secrets.set('STRIPE_SECRET_KEY', 'rotated-by-hand');
    const { props } = await s.read('id', outs);
    expect((await s.diff('id', props, inputs({ STRIPE_SECRET_KEY: SECRET }))).changes).toBe(true);
  });

  it('rejects reserved or malformed names before calling the API', async () => {
    const { failures } = await s.check({}, inputs({ SUPABASE_URL: 'x', 'bad-name': 'y', OK: 'z' }));
    expect(failures?.map((f) => f.reason)).toEqual([
      expect.stringContaining("'SUPABASE_URL' is invalid"),
      expect.stringContaining("'bad-name' is invalid"),
    ]);
    expect(api.requests).toEqual([]);
  });

  it('never puts a secret value in an error', async () => {
    api.failures = [500, 500, 500, 500, 500];
    const error = (await s
      .create(inputs({ STRIPE_SECRET_KEY: SECRET }))
      .catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/POST \/secrets for project .* failed with HTTP 500/);
    expect(error.message).not.toContain(SECRET);
    expect(api.requests).toHaveLength(5);
  });

  it('redacts every echo of the token and of every secret value, whatever characters they hold', async () => {
    // A value full of regular-expression metacharacters, written under two names.
    const tricky = 'p.*a+s?s^w$o{r}d(|)[x]\\$&';
    api.echoFailures = [400];
    const error = (await s
      .create(inputs({ A_KEY: tricky, B_KEY: tricky, C_KEY: SECRET }))
      .catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/POST \/secrets for project .* failed with HTTP 400: .*Rejected/);
    expect(error.message.match(/\[secret\]/g)?.length).toBeGreaterThanOrEqual(5);
    for (const leak of [api.token, tricky, JSON.stringify(tricky).slice(1, -1), SECRET, 'p.*a+s']) {
      expect(error.message).not.toContain(leak);
    }
  });

  it('deletes what it manages on delete', async () => {
    const { outs } = await s.create(inputs({ A: '1' }));
    await s.delete('id', outs);
    expect([...(api.projects.get(REF)?.secrets.keys() ?? [])]).toEqual(['SUPABASE_URL']);
  });
});
