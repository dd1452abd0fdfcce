import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appliedVersions, migrationVersions } from '../../scripts/local-backend/migrations';
import { startPostgres, type LocalPostgres } from '../../scripts/local-backend/postgres';
import { FUNCTION_NAMES } from '../../supabase/functions/_shared/functions.ts';
import { repoRoot } from '../paths';
import { FUNCTIONS_COMMAND, MIGRATIONS_COMMAND, recordedVersions } from './commands';
import { FakeManagementApi, type DeployedFunction } from './testing/fake-management-api';

/** Runs a command resource's command as `local.Command` does: a shell, the program's directory. */
async function runCommand(command: string, environment: Record<string, string>) {
  return promisify(execFile)('/bin/sh', ['-c', command], {
    cwd: repoRoot,
    env: { ...process.env, ...environment },
    encoding: 'utf8',
  });
}

describe('the migrations command', () => {
  let pg: LocalPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(() => pg.stop());

  it('brings an empty database to the current schema, and a second run does nothing', async () => {
    await runCommand(MIGRATIONS_COMMAND, { SUPABASE_DB_URL: pg.url });
    expect(appliedVersions(pg.url)).toEqual(migrationVersions());
    const again = await runCommand(MIGRATIONS_COMMAND, { SUPABASE_DB_URL: pg.url });
    expect(`${again.stdout}${again.stderr}`).toMatch(/up to date/i);
    expect(appliedVersions(pg.url)).toEqual(migrationVersions());
  }, 120_000);
});

describe('the functions command', () => {
  const REF = 'stagingrefaaaaaaaaaa';
  let api: FakeManagementApi;
  let profile: string;
  beforeEach(async () => {
    api = await new FakeManagementApi().start();
    api.addProject(REF);
    // The CLI's own way to use another API: a profile, chosen with SUPABASE_PROFILE.
    profile = path.join(mkdtempSync(path.join(tmpdir(), 'profile-')), 'fake.yaml');
    writeFileSync(
      profile,
      `name: fake\napi_url: ${api.url}\ndashboard_url: ${api.url}\nproject_host: supabase.test\n`,
    );
  });
  afterEach(() => api.stop());

  const deploy = (token = api.token) =>
    runCommand(FUNCTIONS_COMMAND, {
      SUPABASE_PROFILE: profile,
      SUPABASE_ACCESS_TOKEN: token,
      SUPABASE_PROJECT_REF: REF,
      SUPABASE_DEPLOY_RETRY_DELAY_MS: '1',
    });
  const deployed = () => api.projects.get(REF)?.functions as Map<string, DeployedFunction>;
  const uploadsOf = (slug: string) =>
    api.requests.filter((r) => r.path.includes(`/functions/deploy?slug=${slug}&`)).length;

  const liveVersions = () =>
    Object.fromEntries([...deployed().values()].map((fn) => [fn.slug, fn.version]));

  it('uploads every function with its config.toml settings to the Management API', async () => {
    const { stdout } = await deploy();
    // Its stdout is what the program records: each function's version after the deploy.
    expect(recordedVersions(stdout)).toEqual(
      Object.fromEntries(FUNCTION_NAMES.map((name) => [name, 1])),
    );
    expect([...deployed().keys()].sort()).toEqual([...FUNCTION_NAMES].sort());
    const tts = deployed().get('tts');
    expect([...deployed().values()].every((fn) => fn.active)).toBe(true);
    expect(tts?.metadata).toMatchObject({ verify_jwt: false });
    expect(tts?.files.some((file) => file.endsWith('tts/handler.ts'))).toBe(true);
    expect(tts?.files.some((file) => file.endsWith('_shared/http.ts'))).toBe(true);
    expect(tts?.files.some((file) => file.endsWith('speech/contract.ts'))).toBe(true);
    expect(tts?.files.some((file) => /_test\.ts$|\/testing\//.test(file))).toBe(false);
  }, 120_000);

  it('deploys every function again when one upload fails once with a 500', async () => {
    api.deployFailure = { slug: 'tts', times: 1 };
    const { stdout, stderr } = await deploy();
    expect(stderr).toContain('attempt 1 failed transiently');
    expect([...deployed().values()].map((fn) => [fn.slug, fn.active])).toEqual(
      [...FUNCTION_NAMES].sort().map((slug) => [slug, true]),
    );
    expect([uploadsOf('log-error'), uploadsOf('tts')]).toEqual([2, 2]);
    expect(recordedVersions(stdout)).toEqual(liveVersions());
  }, 180_000);

  it('reports which functions went live when an upload keeps failing', async () => {
    await deploy();
    api.deployFailure = { slug: 'tts', times: Infinity };
    const error = (await deploy().catch((e: unknown) => e)) as { stderr: string };
    const others = [...FUNCTION_NAMES].filter((name) => name !== 'tts').sort();
    expect(error.stderr).toContain(
      `failed after 4 attempts. Activated by this deploy: ${others.join(', ')}. Still on their previous version: tts.`,
    );
    expect(deployed().get('tts')?.version).toBe(1);
  }, 240_000);

  it('fails at once, with the status, when the token is refused', async () => {
    const run = deploy('sbp_0000000000000000000000000000000000000000');
    await expect(run).rejects.toThrow(/401|Unauthorized/);
    await expect(run).rejects.toThrow(/after 1 attempt\./);
    expect(uploadsOf('log-error')).toBe(1);
  }, 120_000);
});
