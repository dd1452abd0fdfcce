import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectApiKeyProvider, type ProjectApiKeyState } from './api-key';
import { FakeManagementApi } from './testing/fake-management-api';
import { fakeProject, REF, type TestTarget } from './testing/fake-project';

let api: FakeManagementApi;
let target: TestTarget;

beforeEach(async () => ({ api, target } = await fakeProject(5)));
afterEach(() => api.stop());

const p = projectApiKeyProvider as Required<typeof projectApiKeyProvider>;
const anon = (): ProjectApiKeyState => ({ ...target, keyName: 'anon' });

describe('project API key provider', () => {
  it("reads the project's anon key, and only it", async () => {
    const { id, outs } = await p.create(anon());
    expect(id).toBe(`${REF}/api-keys/anon`);
    expect(outs.apiKey).toBe(api.projects.get(REF)?.apiKeys.get('anon'));
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/projects/${REF}/api-keys`,
    ]);
  });

  it('sees a rotated key as a change on the next up, and takes the new one', async () => {
    const { outs } = await p.create(anon());
    expect(await p.diff('id', outs, anon())).toEqual({ changes: false, replaces: [] });
    api.projects.get(REF)?.apiKeys.set('anon', 'eyJ.rotated.sig');
    expect(await p.diff('id', outs, anon())).toEqual({ changes: true, replaces: [] });
    expect((await p.update('id', outs, anon())).outs.apiKey).toBe('eyJ.rotated.sig');
    expect((await p.read('id', outs)).props.apiKey).toBe('eyJ.rotated.sig');
  });

  it('replaces itself for another project or key name', async () => {
    const { outs } = await p.create(anon());
    expect(await p.diff('id', outs, { ...anon(), keyName: 'service_role' })).toEqual({
      changes: true,
      replaces: ['keyName'],
    });
  });

  it('names the missing key and the ones the project has', async () => {
    await expect(p.create({ ...target, keyName: 'publishable' })).rejects.toThrow(
      `Supabase project ${REF} has no API key named publishable (it has anon, service_role)`,
    );
  });

  it('retries a 5xx and never shows the access token in an error', async () => {
    api.failures = [503];
    expect((await p.create(anon())).outs.apiKey).toContain('anon');
    api.echoFailures = [400];
    const error = await p.create(anon()).catch((e: Error) => e);
    expect(String(error)).toContain('GET /api-keys');
    expect(String(error)).not.toContain(api.token);
  });
});
