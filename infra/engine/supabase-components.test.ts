import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandRun } from '../run-command';
import { previewArgs, previewOutcome } from '../monitoring/preview-outcome';
import { FakeManagementApi } from '../supabase/testing/fake-management-api';
import { REF } from '../supabase/testing/fake-project';
import {
  engineProject,
  initSupabaseStack,
  SUPABASE_PROGRAM,
  type EngineProject,
} from './testing/engine';

const STACK = 'staging';
const nonce = randomBytes(8).toString('hex');
const sentinels = { hfToken: `hf_sentinel_${nonce}`, passphrase: `passphrase-sentinel-${nonce}` };

/** The steps share one stack and run in order: each starts from what the one before left. */
describe('the Supabase components under the real Pulumi engine', { timeout: 180_000 }, () => {
  let api: FakeManagementApi;
  let project: EngineProject;
  let pulumi: typeof project.pulumi;
  const writes = () => api.requests.filter((request) => request.method !== 'GET').length;
  const succeeded = (result: CommandRun) => {
    expect(result.code, result.output).toBe(0);
    return result;
  };

  beforeAll(async () => {
    api = await new FakeManagementApi().start();
    api.addProject(REF);
    project = engineProject(SUPABASE_PROGRAM, sentinels.passphrase);
    ({ pulumi } = project);
    await initSupabaseStack(project, { stack: STACK, api, hfToken: sentinels.hfToken });
  }, 180_000);
  afterAll(async () => {
    project?.remove();
    await api?.stop();
  });

  it('a first up creates the settings and the secrets through the API, and exits 0', async () => {
    succeeded(await pulumi('up', '--yes', '--skip-preview'));
    const project = api.projects.get(REF)!;
    expect([project.auth.site_url, project.auth.jwt_exp]).toEqual(['https://read-aloud.app', 3600]);
    expect([project.postgrest.db_schema, project.postgrest.max_rows]).toEqual(['public', 500]);
    expect(project.secrets.get('HF_TOKEN')).toBe(sentinels.hfToken);
  });

  it('a second up reports no changes and writes nothing', async () => {
    const before = writes();
    succeeded(await pulumi('up', '--yes', '--expect-no-changes'));
    expect(writes()).toBe(before);
  });

  it("the drift check's preview is clean on a clean stack and finds a change made behind its back", async () => {
    const clean = await pulumi(...previewArgs(STACK));
    expect(previewOutcome(clean.code), clean.output).toBe('clean');

    api.projects.get(REF)!.auth.jwt_exp = 60;
    const before = writes();
    const drifted = await pulumi(...previewArgs(STACK));
    expect(previewOutcome(drifted.code), drifted.output).toBe('drift');
    expect(drifted.stdout).toMatch(/jwt_exp/);
    expect(writes(), 'a drift check writes nothing').toBe(before);
  });

  it('the exported state holds every secret encrypted, none in plain text', async () => {
    const { stdout } = succeeded(await pulumi('stack', 'export'));
    expect(stdout).toMatch(/"ciphertext"/);
    for (const secret of [sentinels.hfToken, sentinels.passphrase, api.token]) {
      expect(stdout).not.toContain(secret);
    }
  });

  it('destroy deletes the secrets it wrote; the settings, which cannot be unset, stay', async () => {
    succeeded(await pulumi('destroy', '--yes', '--skip-preview'));
    const project = api.projects.get(REF)!;
    expect([...project.secrets.keys()]).toEqual(['SUPABASE_URL']);
    expect(project.auth.site_url).toBe('https://read-aloud.app');
    const { stdout } = succeeded(await pulumi('stack', 'export'));
    expect(JSON.parse(stdout).deployment.resources ?? []).toEqual([]);
  });
});

describe('a protected stack under the real Pulumi engine', { timeout: 180_000 }, () => {
  let api: FakeManagementApi;
  let project: EngineProject;

  beforeAll(async () => {
    api = await new FakeManagementApi().start();
    api.addProject(REF);
    project = engineProject(SUPABASE_PROGRAM, sentinels.passphrase);
    await initSupabaseStack(project, {
      stack: 'prod',
      api,
      hfToken: sentinels.hfToken,
      protect: true,
    });
  }, 180_000);
  afterAll(async () => {
    project?.remove();
    await api?.stop();
  });

  it('refuses to destroy, and leaves what it wrote in place', async () => {
    const up = await project.pulumi('up', '--yes', '--skip-preview');
    expect(up.code, up.output).toBe(0);
    const destroy = await project.pulumi('destroy', '--yes', '--skip-preview');
    expect(destroy.code).not.toBe(0);
    expect(destroy.output).toMatch(/protect/);
    expect(api.projects.get(REF)!.secrets.get('HF_TOKEN')).toBe(sentinels.hfToken);
  });
});
