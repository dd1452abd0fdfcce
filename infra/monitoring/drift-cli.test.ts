import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalPostgres } from '../../scripts/local-backend/postgres';
import { migratedDatabase, type Sql } from '../../supabase/tests/database';
import { startFakeHfEndpoints, type FakeHfEndpoints } from '../hf/testing/fake-hf-endpoints';
import { apiCompute } from '../hf/hf-endpoint-rollout';
import { handlerEnvironment } from '../hf/speech-endpoint';
import { repoRoot } from '../paths';
import { CREDENTIAL_KEYS } from '../extension/stack-store';
import type { StoreCredentials } from '../extension/store';
import { startFakeStore, type FakeStore } from '../extension/testing/fake-chrome-web-store';
import { redirectStoreHosts } from '../extension/testing/store-hosts';
import type { FakeManagementApi } from '../supabase/testing/fake-management-api';
import { fakeProject, REF } from '../supabase/testing/fake-project';
import { stackSettings } from './cli-common';
import { declaredFunctions } from './drift-checks';
import { main, storeCheck } from './drift-cli';
import { runDrift } from './drift-run';
import { FakeGitHub } from './testing/fake-github';

const IMAGE = `ghcr.io/read-aloud/kokoro-handler@sha256:${'c'.repeat(64)}`;

const STORE_CREDENTIALS: StoreCredentials = {
  clientId: 'fake-cws-client-id',
  clientSecret: 'fake-cws-client-secret',
  refreshToken: 'fake-cws-refresh-token',
};
const PUBLISHED_VERSION = '1.5.0';

/**
 * A `pulumi` on PATH that records its arguments and answers as the CLI would: the preview exits
 * as told, the stack outputs are the image and the released extension version, and `config get`
 * decrypts the store credentials.
 */
function fakePulumi(dir: string) {
  const log = path.join(dir, 'pulumi-calls.txt');
  const script = path.join(dir, 'pulumi');
  // Like the real CLI, it may warn on stderr beside any answer.
  const answer = (args: string, output: string) =>
    `if [ "$1 $2 $3" = "${args}" ]; then echo 'warning: a newer Pulumi is available' >&2; ${output}; exit 0; fi\n`;
  writeFileSync(
    script,
    `#!/bin/sh\necho "$* (token: $GITHUB_TOKEN)" >> '${log}'\n` +
      answer('stack output handlerImage', `echo '"${IMAGE}"'`) +
      answer('stack output functionVersions', `echo "$FAKE_FUNCTION_VERSIONS"`) +
      answer(
        'stack output extension',
        `printf '{"version": "%s", "publishType": "DEFAULT_PUBLISH"}' "$FAKE_EXTENSION_VERSION"`,
      ) +
      Object.entries(CREDENTIAL_KEYS)
        .map(([field, [, key]]) =>
          answer(
            `config get read-aloud:${key}`,
            `echo '${STORE_CREDENTIALS[field as keyof StoreCredentials]}'`,
          ),
        )
        .join('') +
      `echo "Previewing update (staging):"; echo "  ~ github:RepositoryRuleset branch-rules update"\n` +
      `exit "$FAKE_PREVIEW_EXIT"\n`,
  );
  chmodSync(script, 0o755);
  return () => readFileSync(log, 'utf8').trim().split('\n');
}

describe('npm run drift against fakes of every API', () => {
  let db: { pg: LocalPostgres; sql: Sql; stop(): Promise<void> };
  let api: FakeManagementApi;
  let hf: FakeHfEndpoints;
  let github: FakeGitHub;
  let store: FakeStore;
  let undoStoreHosts: () => void;
  let env: Record<string, string>;
  let pulumiCalls: () => string[];
  const settings = stackSettings('staging');
  expect(settings.supabaseProjectRef).toBe(REF);

  beforeAll(async () => {
    db = await migratedDatabase();
    ({ api } = await fakeProject(1));
    for (const fn of declaredFunctions(path.join(repoRoot, 'supabase'))) {
      api.projects.get(REF)!.functions.set(fn.slug, {
        slug: fn.slug,
        version: 1,
        files: [],
        metadata: { entrypoint_path: `file:///repo/supabase/${fn.entrypoint}`, verify_jwt: false },
        active: true,
      });
    }
    hf = await startFakeHfEndpoints({
      token: 'hf_drift_token',
      namespace: 'read-aloud',
      name: 'kokoro-staging',
      image: IMAGE,
      env: handlerEnvironment(settings.speechHandler),
      provider: {
        vendor: settings.hfEndpointCompute.vendor,
        region: settings.hfEndpointCompute.region,
      },
      compute: apiCompute(settings.hfEndpointCompute),
    });
    github = await new FakeGitHub('read-aloud', 'read-aloud').start();
    store = await startFakeStore({
      extensionId: settings.chromeExtensionId,
      publisherId: settings.chromePublisherId,
      ...STORE_CREDENTIALS,
      published: { state: 'PUBLISHED', version: PUBLISHED_VERSION, deployPercentage: 100 },
    });
    // The client library calls Google's hosts; this process sends them to the fake store.
    undoStoreHosts = redirectStoreHosts(store.url);
    const bin = mkdtempSync(path.join(tmpdir(), 'fake-pulumi-'));
    pulumiCalls = fakePulumi(bin);
    env = {
      PATH: `${bin}:${process.env.PATH}`,
      FAKE_PREVIEW_EXIT: '0',
      FAKE_EXTENSION_VERSION: PUBLISHED_VERSION,
      FAKE_FUNCTION_VERSIONS: '{}',
      SUPABASE_DB_URL: db.pg.url,
      SUPABASE_ACCESS_TOKEN: api.token,
      SUPABASE_MANAGEMENT_API_URL: api.url,
      HF_TOKEN: 'hf_drift_token',
      HF_ENDPOINTS_API_URL: hf.apiBase,
      GITHUB_TOKEN: github.token,
      REPO_ADMIN_TOKEN: 'fake-admin-token-for-the-provider',
      GITHUB_REPOSITORY: 'read-aloud/read-aloud',
      GITHUB_API_URL: github.url,
    };
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  }, 120_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    undoStoreHosts?.();
    await Promise.all([db?.stop(), api?.stop(), hf?.close(), github?.stop(), store?.close()]);
  });

  const drift = (exit: number, overrides: Record<string, string> = {}) =>
    main(['--stack', 'staging', '--issue'], {
      ...env,
      FAKE_PREVIEW_EXIT: String(exit),
      ...overrides,
    });

  it('exits 0 and opens no issue when the preview is clean and every check is quiet', async () => {
    expect(await drift(0)).toBe(0);
    expect(github.issues).toEqual([]);
  }, 60_000);

  it('runs only a read-only preview, reads the expected image and extension version from the stack outputs, and the store credentials from its config', () => {
    expect(pulumiCalls()).toEqual([
      'preview --stack staging --refresh --expect-no-changes --diff --non-interactive (token: fake-admin-token-for-the-provider)',
      'stack output handlerImage --json --stack staging (token: fake-admin-token-for-the-provider)',
      'stack output functionVersions --json --stack staging (token: fake-admin-token-for-the-provider)',
      'stack output extension --json --stack staging (token: fake-admin-token-for-the-provider)',
      ...Object.values(CREDENTIAL_KEYS).map(
        ([, key]) => `config get read-aloud:${key} --stack staging (token: ${github.token})`,
      ),
    ]);
  });

  it('exits 3 and opens the stack drift issue when the preview exits 7', async () => {
    expect(await drift(7)).toBe(3);
    expect(github.issues).toMatchObject([
      {
        state: 'open',
        labels: [{ name: 'drift:staging' }],
        title: expect.stringMatching(/^Drift in staging/),
      },
    ]);
    expect(github.issues[0]!.body).toContain('branch-rules update');
  }, 60_000);

  it('updates the same issue when an explicit check finds drift on a clean preview', async () => {
    api.projects.get(REF)!.functions.delete('health');
    expect(await drift(0)).toBe(3);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.body).toContain('| function health | deployed | yes | missing |');
  }, 60_000);

  it('names a function deployed from elsewhere since the last pulumi up recorded its version', async () => {
    const tts = api.projects.get(REF)!.functions.get('tts')!;
    tts.version = 2;
    expect(await drift(0, { FAKE_FUNCTION_VERSIONS: '{"tts": 1}' })).toBe(3);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.body).toContain(
      '| function tts | version | 1 (the last pulumi up deployed it) | 2 (deployed from elsewhere) |',
    );
  }, 60_000);

  it('names the store item when it publishes another version than the stack released', async () => {
    expect(await drift(0, { FAKE_EXTENSION_VERSION: '1.6.0' })).toBe(3);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.body).toContain(
      `| store item ${settings.chromeExtensionId} | published version | 1.6.0 | ${PUBLISHED_VERSION} |`,
    );
  }, 60_000);

  it('exits 1 and leaves the issue open when the preview fails with another code', async () => {
    expect(await drift(4)).toBe(1);
    expect(github.issues[0]!.state).toBe('open');
    expect(github.issues[0]!.body).toContain('pulumi preview failed with exit code 4');
  }, 60_000);

  it('closes the issue with a comment once a run is clean again, never showing a secret', async () => {
    api.projects.get(REF)!.functions.set('health', {
      slug: 'health',
      version: 2,
      files: [],
      metadata: {
        entrypoint_path: 'file:///repo/supabase/functions/health/index.ts',
        verify_jwt: false,
      },
      active: true,
    });
    expect(await drift(0)).toBe(0);
    expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    const everything = JSON.stringify(github.issues);
    for (const secret of [
      api.token,
      'hf_drift_token',
      github.token,
      'fake-admin-token-for-the-provider',
      ...Object.values(STORE_CREDENTIALS),
    ]) {
      expect(everything).not.toContain(secret);
    }
  }, 60_000);

  it('never shows the store credentials, not even in a check that failed', async () => {
    const printed = () =>
      [console.log, console.error, process.stderr.write]
        .flatMap((spy) => vi.mocked(spy).mock.calls.flat())
        .map(String)
        .join('\n');
    // The token request's body holds every credential; this error quotes it.
    store.state.faults.push({ method: 'token', status: 400, times: 1, echo: true });
    expect(await drift(0)).toBe(1);
    expect(printed()).toContain('- store item: Chrome Web Store token request for item');
    for (const secret of Object.values(STORE_CREDENTIALS)) {
      expect(printed()).not.toContain(secret);
      expect(JSON.stringify(github.issues)).not.toContain(secret);
    }
  }, 60_000);

  it('skips the store check, saying why, for a stack that uploads without publishing', async () => {
    const uploadOnly = { ...settings, extensionRelease: { publishType: 'UPLOAD_ONLY' as const } };
    const before = store.state.requests.length;
    const check = storeCheck('staging', uploadOnly, env, PUBLISHED_VERSION);
    const result = await runDrift('staging', undefined, [check], []);
    expect(result.status).toBe('clean');
    expect(result.report).toContain(
      '- skipped: store item (the stack uploads to the store without publishing)',
    );
    expect(store.state.requests.length).toBe(before);
  });

  it('refuses an unknown stack or option with a UsageError, changing nothing', async () => {
    await expect(main(['--stack', 'qa'], env)).rejects.toThrow(
      /--stack must be one of staging, prod/,
    );
    await expect(main(['--stack', 'staging', '--refresh'], env)).rejects.toThrow(/--refresh/);
  });
});
