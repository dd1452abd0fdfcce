import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedVersions, migrationVersions } from '../../scripts/local-backend/migrations';
import { startPostgres, type LocalPostgres } from '../../scripts/local-backend/postgres';
import { repoRoot } from '../paths';
import { FUNCTIONS_COMMAND, MIGRATIONS_COMMAND } from './commands';
import { FakeManagementApi } from './testing/fake-management-api';

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
  beforeAll(async () => {
    api = await new FakeManagementApi().start();
    api.addProject(REF);
    // The CLI's own way to use another API: a profile, chosen with SUPABASE_PROFILE.
    profile = path.join(mkdtempSync(path.join(tmpdir(), 'profile-')), 'fake.yaml');
    writeFileSync(
      profile,
      `name: fake\napi_url: ${api.url}\ndashboard_url: ${api.url}\nproject_host: supabase.test\n`,
    );
  });
  afterAll(() => api.stop());

  it('uploads every function with its config.toml settings to the Management API', async () => {
    await runCommand(FUNCTIONS_COMMAND, {
      SUPABASE_PROFILE: profile,
      SUPABASE_ACCESS_TOKEN: api.token,
      SUPABASE_PROJECT_REF: REF,
    });
    const deployed = api.projects.get(REF)?.functions;
    expect([...(deployed?.keys() ?? [])].sort()).toEqual(['log-error', 'stripe-webhook', 'tts']);
    const tts = deployed?.get('tts');
    expect([...(deployed?.values() ?? [])].every((fn) => fn.active)).toBe(true);
    expect(tts?.metadata).toMatchObject({ verify_jwt: false });
    expect(tts?.files.some((file) => file.includes('_shared/tts.ts'))).toBe(true);
    expect(tts?.files.some((file) => file.endsWith('_test.ts'))).toBe(false);
  }, 120_000);

  it('fails, with the status, when the token is refused', async () => {
    const run = runCommand(FUNCTIONS_COMMAND, {
      SUPABASE_PROFILE: profile,
      SUPABASE_ACCESS_TOKEN: 'sbp_0000000000000000000000000000000000000000',
      SUPABASE_PROJECT_REF: REF,
    });
    await expect(run).rejects.toThrow(/401|Unauthorized/);
  }, 120_000);
});
