import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../scripts/local-backend';
import { startFakeHfEndpoints, type FakeHfEndpoints } from '../hf/testing/fake-hf-endpoints';
import { stackSettings } from './cli-common';
import { main } from './health-cli';
import { FakeGitHub } from './testing/fake-github';

describe('npm run health against the local backend', () => {
  let backend: LocalBackend;
  let hf: FakeHfEndpoints;
  let github: FakeGitHub;
  let env: Record<string, string>;
  const { monitoring } = stackSettings('prod');

  beforeAll(async () => {
    backend = await startLocalBackend();
    hf = await startFakeHfEndpoints({
      token: backend.speechEndpoint.token,
      namespace: 'read-aloud',
      name: 'kokoro-prod',
      image: `ghcr.io/read-aloud/kokoro-handler@sha256:${'d'.repeat(64)}`,
    });
    github = await new FakeGitHub('read-aloud', 'read-aloud').start();
    env = {
      HF_TOKEN: backend.speechEndpoint.token,
      HF_ENDPOINTS_API_URL: hf.apiBase,
      HF_ENDPOINT_URL: backend.speechEndpoint.url,
      SUPABASE_URL: backend.url,
      SUPABASE_DB_URL: backend.dbUrl,
      GITHUB_TOKEN: github.token,
      GITHUB_REPOSITORY: 'read-aloud/read-aloud',
      GITHUB_API_URL: github.url,
    };
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
  }, 120_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await Promise.all([hf?.close(), github?.stop()]);
    await backend?.stop();
  });

  const health = (...extra: string[]) => main(['--stack', 'prod', '--issue', ...extra], env);

  it('uses the defaults where the stack sets none, and prod pages', () => {
    expect(monitoring).toMatchObject({ healthSchedule: '*/15 * * * *', page: true });
    expect(stackSettings('staging').monitoring.page).toBe(false);
  });

  it('exits 0 and opens nothing when every check is quiet', async () => {
    expect(await health()).toBe(0);
    expect(github.issues).toEqual([]);
  }, 60_000);

  it('skips a run started by another schedule than the stack health schedule', async () => {
    const before = backend.speechEndpoint.requests.length;
    expect(await health('--schedule', '0 3 * * *')).toBe(0);
    expect(backend.speechEndpoint.requests.length).toBe(before);
  });

  it('checks the stack on a manual run, which passes an empty schedule', async () => {
    const before = backend.speechEndpoint.requests.length;
    expect(await health('--schedule', '')).toBe(0);
    expect(backend.speechEndpoint.requests.length).toBe(before + 1);
  }, 60_000);

  it('on an error report spike, exits 3 and opens the prod health issue with the page label', async () => {
    await backend.sql`
      insert into public.error_reports (reporter, message)
      select 'ip:spike', 'TypeError' from generate_series(1, ${monitoring.errorReportsPerHour + 1})`;
    expect(await health()).toBe(3);
    expect(github.issues).toMatchObject([
      { state: 'open', labels: [{ name: 'health:prod' }, { name: 'page' }] },
    ]);
    expect(github.issues[0]!.body).toContain(
      `${monitoring.errorReportsPerHour + 1} error reports in the last hour`,
    );
  }, 60_000);

  it('closes the issue when the next run is healthy', async () => {
    await backend.sql`delete from public.error_reports`;
    expect(await health()).toBe(0);
    expect(github.issues[0]).toMatchObject({ state: 'closed' });
    expect(JSON.stringify(github.issues)).not.toContain(backend.speechEndpoint.token);
  }, 60_000);
});
