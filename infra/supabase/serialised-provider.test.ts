import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../paths';
import { FakeManagementApi } from './testing/fake-management-api';

const REF = 'stagingrefaaaaaaaaaa';
let serialised: Map<string, string>;
let api: FakeManagementApi;

beforeAll(async () => {
  api = await new FakeManagementApi().start();
  api.addProject(REF);
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'testing/serialise-providers.ts')],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  serialised = new Map(Object.entries(JSON.parse(run.stdout) as Record<string, string>));
  // Serialising loads the Pulumi SDK in a second process: seconds on a busy machine.
}, 60_000);
afterAll(() => api.stop());

/** Loads the provider text in a fresh Node process, as Pulumi's dynamic provider host does. */
async function createInFreshProcess(name: string, inputs: unknown) {
  const dir = mkdtempSync(path.join(tmpdir(), 'provider-'));
  const file = path.join(dir, 'provider.js');
  writeFileSync(file, serialised.get(name) ?? '');
  const script = `require(${JSON.stringify(file)}).handler().create(${JSON.stringify(inputs)})
    .then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e.message); process.exit(1); });`;
  // Asynchronous: the fake API answers from this process's event loop.
  return promisify(execFile)(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') },
  });
}

describe('dynamic providers as Pulumi serialises them', () => {
  it('are serialised as self-contained modules', () => {
    for (const name of ['secrets', 'settings']) {
      expect(serialised.get(name)).toContain('exports.handler');
    }
  });

  it('create secrets against the API from a fresh process', async () => {
    const run = await createInFreshProcess('secrets', {
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
    const run = await createInFreshProcess('settings', {
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
    const run = await createInFreshProcess('api-key', {
      projectRef: REF,
      apiUrl: api.url,
      accessToken: api.token,
      keyName: 'anon',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).outs.apiKey).toBe(api.projects.get(REF)?.apiKeys.get('anon'));
  });
});
