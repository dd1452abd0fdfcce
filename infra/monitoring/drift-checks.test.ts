import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migratedDatabase, type Sql } from '../../supabase/tests/database';
import type { LocalPostgres } from '../../scripts/local-backend/postgres';
import { createEndpointsClient, systemClock } from '../hf/hf-endpoints-client';
import { startFakeHfEndpoints, type FakeHfEndpoints } from '../hf/testing/fake-hf-endpoints';
import { repoRoot } from '../paths';
import type { FakeManagementApi } from '../supabase/testing/fake-management-api';
import { fakeProject, REF } from '../supabase/testing/fake-project';
import {
  declaredFunctions,
  endpointCheck,
  functionsCheck,
  migrationsCheck,
  parseMigrationList,
  storeItemCheck,
} from './drift-checks';
import type { Revision } from '../extension/store';
import { apiCompute, type DeclaredCompute } from '../hf/hf-endpoint-rollout';
import { STAGING_COMPUTE } from '../hf/testing/compute';

const SUPABASE_DIR = path.join(repoRoot, 'supabase');

describe('migrations drift, from the CLI migration list against a real database', () => {
  let db: { pg: LocalPostgres; sql: Sql; stop(): Promise<void> };
  beforeAll(async () => {
    db = await migratedDatabase();
  }, 120_000);
  afterAll(() => db?.stop());

  it('is quiet when every migration in the folder is applied, and only those', async () => {
    expect(await migrationsCheck({ dbUrl: db.pg.url, repoRoot }).run()).toEqual([]);
  }, 60_000);

  it('names a migration applied from elsewhere and one not applied', async () => {
    await db.sql`insert into supabase_migrations.schema_migrations (version, name)
      values ('20990101000000', 'hotfix')`;
    await db.sql`delete from supabase_migrations.schema_migrations
      where version = (select max(version) from supabase_migrations.schema_migrations
                       where version < '20990101000000')`;
    const findings = await migrationsCheck({ dbUrl: db.pg.url, repoRoot }).run();
    expect(findings).toContainEqual({
      resource: 'migration 20990101000000',
      property: 'applied',
      expected: 'no such migration in supabase/migrations',
      actual: 'applied',
    });
    expect(findings.filter((f) => f.actual === 'not applied')).toHaveLength(1);
    expect(findings).toHaveLength(2);
  }, 60_000);

  it('fails as an error of the check, the password redacted, when the database is unreachable', async () => {
    const url = 'postgresql://postgres:Sup3rS3cretPw@127.0.0.1:1/postgres';
    const failure = migrationsCheck({ dbUrl: url, repoRoot }).run();
    await expect(failure).rejects.toThrow(/supabase migration list failed/);
    await expect(failure).rejects.not.toThrow(/Sup3rS3cretPw/);
  }, 60_000);
});

describe('parseMigrationList', () => {
  it('reads the local and remote columns, blanks included', () => {
    const table = [
      '   Local            | Remote           | Time (UTC)',
      '  ------------------|------------------|-----------',
      '   `20261125150000` | `20261125150000` | `2026-11-25 15:00:00`',
      '   `20261201162000` | ` `              | `2026-12-01 16:20:00`',
      '   ` `              | `20990101000000` | `2099-01-01 00:00:00`',
    ].join('\n');
    expect(parseMigrationList(table)).toEqual([
      { local: '20261125150000', remote: '20261125150000' },
      { local: '20261201162000', remote: '' },
      { local: '', remote: '20990101000000' },
    ]);
  });
});

describe('functions drift, from the Management API function list', () => {
  let api: FakeManagementApi;
  let target: { projectRef: string; apiUrl: string; accessToken: string };
  const declared = declaredFunctions(SUPABASE_DIR);
  const deploy = (slug: string, verifyJwt = false) =>
    api.projects.get(REF)!.functions.set(slug, {
      slug,
      version: 3,
      files: [],
      metadata: {
        entrypoint_path: `file:///src/supabase/functions/${slug}/index.ts`,
        verify_jwt: verifyJwt,
      },
      active: true,
    });
  beforeEach(async () => {
    ({ api, target } = await fakeProject(1));
  });
  afterEach(() => api.stop());

  it('declares each function folder with its config.toml verify_jwt', () => {
    expect(declared.map((f) => [f.slug, f.verifyJwt])).toEqual([
      ['health', false],
      ['log-error', false],
      ['stripe-webhook', false],
      ['tts', false],
    ]);
  });

  it('is quiet when every declared function is deployed as declared', async () => {
    for (const fn of declared) deploy(fn.slug);
    expect(await functionsCheck({ api: target, declared }).run()).toEqual([]);
  });

  it('names a function deployed again since the last pulumi up recorded its version', async () => {
    for (const fn of declared) deploy(fn.slug);
    const recordedVersions = { health: 3, 'log-error': 3, 'stripe-webhook': 3, tts: 2 };
    expect(await functionsCheck({ api: target, declared, recordedVersions }).run()).toEqual([
      {
        resource: 'function tts',
        property: 'version',
        expected: '2 (the last pulumi up deployed it)',
        actual: '3 (deployed from elsewhere)',
      },
    ]);
  });

  it('names a missing function, an extra one and a changed verify_jwt', async () => {
    for (const fn of declared.filter((f) => f.slug !== 'health')) deploy(fn.slug);
    deploy('tts', true);
    deploy('hello-world');
    expect(await functionsCheck({ api: target, declared }).run()).toEqual([
      { resource: 'function health', property: 'deployed', expected: 'yes', actual: 'missing' },
      { resource: 'function tts', property: 'verify_jwt', expected: 'false', actual: 'true' },
      {
        resource: 'function hello-world',
        property: 'deployed',
        expected: 'no such function in supabase/functions',
        actual: 'version 3',
      },
    ]);
  });

  it('fails as an error of the check when the token is refused, without the token', async () => {
    const failure = functionsCheck({
      api: { ...target, accessToken: 'sbp_refused_token_value_0000000000000000000' },
      declared,
    }).run();
    await expect(failure).rejects.toThrow(/Unauthorized/);
    await expect(failure).rejects.not.toThrow(/sbp_refused_token_value/);
  });
});

describe('speech endpoint drift, from the Endpoints API', () => {
  const image = `ghcr.io/read-aloud/kokoro-handler@sha256:${'a'.repeat(64)}`;
  const env = { PORT: '8080', DEFAULT_VOICE: 'af_heart' };
  let hf: FakeHfEndpoints;
  const start = async (
    actual: { image: string; env: Record<string, string> },
    compute?: DeclaredCompute,
  ) => {
    hf = await startFakeHfEndpoints({
      token: 'hf_test',
      namespace: 'ns',
      name: 'kokoro',
      ...actual,
      ...(compute && {
        provider: { vendor: compute.vendor, region: compute.region },
        compute: apiCompute(compute),
      }),
    });
    const client = createEndpointsClient({
      apiBase: hf.apiBase,
      token: 'hf_test',
      secrets: [],
      retry: { retries: 0, startingDelayMs: 1 },
      clock: systemClock,
      log: () => {},
    });
    return endpointCheck({
      client,
      declared: {
        namespace: 'ns',
        name: 'kokoro',
        image,
        env,
        secretEnvNames: ['API_KEY'],
        compute: STAGING_COMPUTE,
      },
    });
  };
  afterEach(() => hf?.close());

  it('is quiet when the image digest, env and compute are the declared ones', async () => {
    expect(await (await start({ image, env }, STAGING_COMPUTE)).run()).toEqual([]);
  });

  it('names each compute property that differs from the declared compute', async () => {
    const check = await start(
      { image, env },
      { ...STAGING_COMPUTE, region: 'eu-west-1', instanceSize: 'x4', minReplica: 1 },
    );
    const resource = 'endpoint ns/kokoro';
    expect(await check.run()).toEqual([
      { resource, property: 'compute.region', expected: 'us-east-1', actual: 'eu-west-1' },
      { resource, property: 'compute.instanceSize', expected: 'x2', actual: 'x4' },
      { resource, property: 'compute.minReplica', expected: '0', actual: '1' },
      { resource, property: 'compute.scaleToZeroTimeout', expected: '15', actual: '(unset)' },
    ]);
  });

  it('names another image and each env difference, secret values hidden', async () => {
    const other = `ghcr.io/read-aloud/kokoro-handler@sha256:${'b'.repeat(64)}`;
    const check = await start(
      {
        image: other,
        env: { PORT: '9090', API_KEY: 'not-a-key-should-not-show', DEFAULT_VOICE: 'af_heart' },
      },
      STAGING_COMPUTE,
    );
    const findings = await check.run();
    const resource = 'endpoint ns/kokoro';
    expect(findings).toEqual([
      { resource, property: 'image', expected: image, actual: other },
      { resource, property: 'env.API_KEY', expected: '(unset)', actual: '[secret]' },
      { resource, property: 'env.PORT', expected: '8080', actual: '9090' },
    ]);
  });
});

describe('store item drift, against the published version', () => {
  const itemId = 'abcdefghijklmnopabcdefghijklmnop';
  const check = (published?: Revision, submitted?: Revision) =>
    storeItemCheck({
      readRevisions: () => Promise.resolve({ published, submitted }),
      itemId,
      expectedVersion: '1.4.0',
    }).run();

  it('is quiet when the store publishes the stack version', async () => {
    expect(await check({ state: 'PUBLISHED', version: '1.4.0' })).toEqual([]);
  });

  it('is quiet while the stack version is in review or staged for publishing', async () => {
    const older = { state: 'PUBLISHED', version: '1.3.9' } as const;
    expect(await check(older, { state: 'PENDING_REVIEW', version: '1.4.0' })).toEqual([]);
    expect(await check(older, { state: 'STAGED', version: '1.4.0' })).toEqual([]);
  });

  it('names the published version when it is another, or none', async () => {
    expect(await check({ state: 'PUBLISHED', version: '1.3.9' })).toEqual([
      {
        resource: `store item ${itemId}`,
        property: 'published version',
        expected: '1.4.0',
        actual: '1.3.9',
      },
    ]);
    expect((await check())[0]?.actual).toBe('(nothing published)');
  });

  it('names a rejected submission of the stack version beside the published one', async () => {
    const [finding] = await check(
      { state: 'PUBLISHED', version: '1.3.9' },
      { state: 'REJECTED', version: '1.4.0' },
    );
    expect(finding?.actual).toBe('1.3.9 (submitted: 1.4.0 REJECTED)');
  });
});
