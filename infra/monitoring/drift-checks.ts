import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { apiCompute, type DeclaredCompute } from '../hf/hf-endpoint-rollout';
import type { EndpointCompute, EndpointProvider, EndpointsClient } from '../hf/hf-endpoints-client';
import type { StoreStatus } from '../extension/store';
import { REDACTED, redact } from '../redact';
import { callManagementApi, type ApiTarget } from '../supabase/management-api';

/** One property of one resource that is not what the program declares. */
export interface DriftFinding {
  resource: string;
  property: string;
  expected: string;
  actual: string;
}

/** A check that reads the real thing and lists what differs; it changes nothing. */
export interface DriftCheck {
  name: string;
  /** Why the stack calls for no such check; a skipped check is neither clean nor failed. */
  skipped?: string;
  run(): Promise<DriftFinding[]>;
}

const run = promisify(execFile);

/**
 * Each row of `supabase migration list`: a version with only a local file is not applied; one
 * with only a remote row was applied from elsewhere. Both are drift.
 */
export function parseMigrationList(table: string): { local: string; remote: string }[] {
  return (
    table
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.replace(/[`\s]/g, '')))
      // A blank cell prints as "` `"; the header and rule rows hold no version.
      .filter((cells) => cells.length >= 3 && /^\d*$/.test(cells[0]!) && /^\d*$/.test(cells[1]!))
      .filter(([local, remote]) => `${local}${remote}` !== '')
      .map(([local = '', remote = '']) => ({ local, remote }))
  );
}

/** Migrations in `supabase/migrations/` against those the stack's database has applied. */
export function migrationsCheck({ dbUrl, repoRoot }: { dbUrl: string; repoRoot: string }) {
  return {
    name: 'migrations',
    async run() {
      const listed = await run(
        'npx',
        ['--no-install', 'supabase', 'migration', 'list', '--db-url', dbUrl, '--workdir', repoRoot],
        { cwd: repoRoot, maxBuffer: 4 * 1024 * 1024 },
      ).catch((error: { stderr?: string; message: string }) => {
        // The CLI quotes the connection string in some errors: the password must not follow.
        throw new Error(
          `supabase migration list failed: ${redact(error.stderr || error.message, passwordsIn(dbUrl))}`,
        );
      });
      return parseMigrationList(listed.stdout)
        .filter(({ local, remote }) => local !== remote)
        .map(({ local, remote }) => ({
          resource: `migration ${local || remote}`,
          property: 'applied',
          expected: local ? 'applied' : 'no such migration in supabase/migrations',
          actual: remote ? 'applied' : 'not applied',
        }));
    },
  } satisfies DriftCheck;
}

const passwordsIn = (url: string) => {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return [password, url];
  } catch {
    return [url];
  }
};

export interface DeclaredFunction {
  slug: string;
  verifyJwt: boolean;
  entrypoint: string;
}

/** The functions the sources declare: each folder with an index.ts, and config.toml's verify_jwt. */
export function declaredFunctions(supabaseDir: string): DeclaredFunction[] {
  const functionsDir = path.join(supabaseDir, 'functions');
  const config = readFileSync(path.join(supabaseDir, 'config.toml'), 'utf8');
  return readdirSync(functionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
    .filter((entry) => existsSync(path.join(functionsDir, entry.name, 'index.ts')))
    .map(({ name }) => {
      const section = new RegExp(`\\[functions\\.${name}\\]([^[]*)`).exec(config)?.[1] ?? '';
      // The platform's default is on; only an explicit `verify_jwt = false` turns it off.
      const verifyJwt = !/^\s*verify_jwt\s*=\s*false\s*$/m.test(section);
      return { slug: name, verifyJwt, entrypoint: `functions/${name}/index.ts` };
    })
    .sort((a, b) => a.slug.localeCompare(b.slug));
}

interface ListedFunction {
  slug: string;
  status: string;
  version: number;
  verify_jwt?: boolean;
  entrypoint_path?: string;
}

/**
 * The functions the Management API lists against the sources: present, active, same settings,
 * and (where the last `pulumi up` recorded it) the version it deployed. The bundle's source
 * digest is not compared: the platform bundles on upload, and nothing offline recomputes it.
 */
export function functionsCheck({
  api,
  declared,
  recordedVersions = {},
}: {
  api: ApiTarget;
  declared: DeclaredFunction[];
  /** Each function's version right after the last deploy (the stack output functionVersions). */
  recordedVersions?: Record<string, number>;
}) {
  return {
    name: 'functions',
    async run() {
      const listed = await callManagementApi<ListedFunction[]>(api, 'GET /functions', {
        redact: [api.accessToken],
      });
      const bySlug = new Map(listed.map((fn) => [fn.slug, fn]));
      const findings: DriftFinding[] = [];
      for (const want of declared) {
        const fn = bySlug.get(want.slug);
        const resource = `function ${want.slug}`;
        if (fn === undefined) {
          findings.push({ resource, property: 'deployed', expected: 'yes', actual: 'missing' });
          continue;
        }
        const recorded = recordedVersions[want.slug];
        if (recorded !== undefined && fn.version !== recorded) {
          findings.push({
            resource,
            property: 'version',
            expected: `${recorded} (the last pulumi up deployed it)`,
            actual: `${fn.version} (deployed from elsewhere)`,
          });
        }
        if (fn.status !== 'ACTIVE') {
          findings.push({ resource, property: 'status', expected: 'ACTIVE', actual: fn.status });
        }
        if (fn.verify_jwt !== undefined && fn.verify_jwt !== want.verifyJwt) {
          findings.push({
            resource,
            property: 'verify_jwt',
            expected: String(want.verifyJwt),
            actual: String(fn.verify_jwt),
          });
        }
        if (fn.entrypoint_path !== undefined && !fn.entrypoint_path.endsWith(want.entrypoint)) {
          findings.push({
            resource,
            property: 'entrypoint_path',
            expected: want.entrypoint,
            actual: fn.entrypoint_path,
          });
        }
      }
      const declaredSlugs = new Set(declared.map((fn) => fn.slug));
      for (const fn of listed.filter((f) => !declaredSlugs.has(f.slug))) {
        findings.push({
          resource: `function ${fn.slug}`,
          property: 'deployed',
          expected: 'no such function in supabase/functions',
          actual: `version ${fn.version}`,
        });
      }
      return findings;
    },
  } satisfies DriftCheck;
}

export interface DeclaredEndpoint {
  namespace: string;
  name: string;
  /** `repo@sha256:...`, as the last rollout set it. */
  image: string;
  env: Record<string, string>;
  /** Secret names the endpoint must have; their values are never read or shown. */
  secretEnvNames?: string[];
  /** Where and on what it runs, and how it scales, as the stack declares it. */
  compute?: DeclaredCompute;
}

/** The declared compute as flat `compute.*` properties, in the API's terms. */
function flatCompute(provider: Partial<EndpointProvider>, compute: Partial<EndpointCompute>) {
  return {
    vendor: provider.vendor,
    region: provider.region,
    accelerator: compute.accelerator,
    instanceType: compute.instanceType,
    instanceSize: compute.instanceSize,
    minReplica: compute.scaling?.minReplica,
    maxReplica: compute.scaling?.maxReplica,
    scaleToZeroTimeout: compute.scaling?.scaleToZeroTimeout ?? undefined,
  };
}

/** The endpoint's image digest, environment and compute against the declared ones; secrets by name only. */
export function endpointCheck({
  client,
  declared,
}: {
  client: Pick<EndpointsClient, 'getEndpoint'>;
  declared: DeclaredEndpoint;
}) {
  return {
    name: 'speech endpoint',
    async run() {
      const endpoint = await client.getEndpoint(declared.namespace, declared.name);
      const resource = `endpoint ${declared.namespace}/${declared.name}`;
      const findings: DriftFinding[] = [];
      const image = endpoint.model.image.custom?.url ?? JSON.stringify(endpoint.model.image);
      if (image !== declared.image) {
        findings.push({ resource, property: 'image', expected: declared.image, actual: image });
      }
      const actualEnv = endpoint.model.env ?? {};
      const secretNames = new Set(declared.secretEnvNames ?? []);
      const shown = (name: string, value: string | undefined) =>
        value === undefined ? '(unset)' : secretNames.has(name) ? REDACTED : value;
      for (const name of [...new Set([...Object.keys(declared.env), ...Object.keys(actualEnv)])]
        .filter((n) => declared.env[n] !== actualEnv[n])
        .sort()) {
        findings.push({
          resource,
          property: `env.${name}`,
          expected: shown(name, declared.env[name]),
          actual: shown(name, actualEnv[name]),
        });
      }
      if (declared.compute) {
        const { vendor, region } = declared.compute;
        const expected = flatCompute({ vendor, region }, apiCompute(declared.compute));
        const actual = flatCompute(endpoint.provider ?? {}, endpoint.compute ?? {});
        for (const [key, value] of Object.entries(expected)) {
          const found = actual[key as keyof typeof actual];
          if (found !== value) {
            findings.push({
              resource,
              property: `compute.${key}`,
              expected: String(value ?? '(unset)'),
              actual: String(found ?? '(unset)'),
            });
          }
        }
      }
      return findings;
    },
  } satisfies DriftCheck;
}

/** The item's published and submitted revisions, as the Chrome Web Store client reads them. */
export type ReadStoreRevisions = () => Promise<Pick<StoreStatus, 'published' | 'submitted'>>;

// A submitted version in review, or staged for a manual publish, is on its way: not drift.
const ON_ITS_WAY = new Set(['PENDING_REVIEW', 'STAGED']);

/** The store item's published version against the version this stack released. */
export function storeItemCheck({
  readRevisions,
  itemId,
  expectedVersion,
}: {
  readRevisions: ReadStoreRevisions;
  itemId: string;
  expectedVersion: string;
}) {
  return {
    name: 'store item',
    async run() {
      const { published, submitted } = await readRevisions();
      if (published?.version === expectedVersion) return [];
      if (submitted?.version === expectedVersion && ON_ITS_WAY.has(submitted.state)) return [];
      const actual = published?.version ?? '(nothing published)';
      return [
        {
          resource: `store item ${itemId}`,
          property: 'published version',
          expected: expectedVersion,
          actual: submitted
            ? `${actual} (submitted: ${submitted.version ?? '(no version)'} ${submitted.state})`
            : actual,
        },
      ];
    },
  } satisfies DriftCheck;
}

/** A check the stack does not call for: the report names it and why, and it finds nothing. */
export const skippedCheck = (name: string, reason: string): DriftCheck => ({
  name,
  skipped: reason,
  run: () => Promise.resolve([]),
});
