import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectSettingsProvider, type ProjectSettingsState } from './project-settings';
import type { FakeManagementApi } from './testing/fake-management-api';
import { fakeProject, REF, type TestTarget } from './testing/fake-project';

const p = projectSettingsProvider as Required<typeof projectSettingsProvider>;
let api: FakeManagementApi;
let target: TestTarget;

beforeEach(async () => ({ api, target } = await fakeProject(1)));
afterEach(() => api.stop());

const settings = (): ProjectSettingsState => ({
  ...target,
  auth: { site_url: 'https://read-aloud.app', jwt_exp: 3600 },
  postgrest: { db_schema: 'public', max_rows: 500 },
});
// The fake answers the first `ok` requests normally, then HTTP 500 until the retries run out.
const failAfter = (ok: number) => [...Array<number>(ok), 500, 500, 500, 500, 500];

describe('project settings: create, read and update', () => {
  it('is identified by its project', async () => {
    expect((await p.create(settings())).id).toBe(`${REF}/settings`);
  });

  it('reads back both sections, keeping where it talks to, so drift in either shows', async () => {
    const { outs } = await p.create(settings());
    const project = api.projects.get(REF);
    (project?.auth as Record<string, unknown>).jwt_exp = 60;
    (project?.postgrest as Record<string, unknown>).max_rows = 7;
    const { props } = await p.read('id', outs);
    expect(props).toEqual({
      ...settings(),
      auth: { site_url: 'https://read-aloud.app', jwt_exp: 60 },
      postgrest: { db_schema: 'public', max_rows: 7 },
    });
  });

  it('reads a declared key the API no longer reports as null', async () => {
    const { outs } = await p.create(settings());
    delete (api.projects.get(REF)?.postgrest as Record<string, unknown>).max_rows;
    const { props } = await p.read('id', outs);
    expect(props.postgrest).toStrictEqual({ db_schema: 'public', max_rows: null });
  });

  it('updates a postgrest key alone, and returns the new settings', async () => {
    const { outs } = await p.create(settings());
    const next = { ...settings(), postgrest: { db_schema: 'public', max_rows: 50 } };
    api.requests.length = 0;
    const result = await p.update('id', outs, next);
    expect(api.requests).toEqual([
      { method: 'PATCH', path: `/v1/projects/${REF}/postgrest`, body: { max_rows: 50 } },
    ]);
    expect(result).toEqual({ outs: next });
  });

  it('leaves settings as they are when the resource is deleted', async () => {
    await p.delete('id', settings());
    expect(api.requests).toEqual([]);
  });
});

describe('project settings: diff', () => {
  it('sees another API URL as a change', async () => {
    const olds = { ...settings(), apiUrl: 'http://127.0.0.1:1' };
    expect(await p.diff('id', olds, settings())).toEqual({ changes: true, replaces: [] });
  });

  it('replaces the resource when the project changes', async () => {
    const olds = { ...settings(), projectRef: 'otherrefaaaaaaaaaaaa' };
    expect(await p.diff('id', olds, settings())).toEqual({
      changes: true,
      replaces: ['projectRef'],
    });
  });

  it('sees a postgrest key changed as a change', async () => {
    const news = { ...settings(), postgrest: { db_schema: 'api', max_rows: 500 } };
    expect((await p.diff('id', settings(), news)).changes).toBe(true);
  });
});

describe('project settings: errors name the call that failed', () => {
  const failing = (call: string) =>
    `Supabase Management API ${call} for project ${REF} failed with HTTP 500`;

  it('reading auth', async () => {
    api.failures = failAfter(0);
    await expect(p.read('id', settings())).rejects.toThrow(failing('GET /config/auth'));
  });

  it('reading postgrest', async () => {
    api.failures = failAfter(1);
    await expect(p.read('id', settings())).rejects.toThrow(failing('GET /postgrest'));
  });

  it('writing postgrest', async () => {
    api.failures = failAfter(1);
    await expect(p.create(settings())).rejects.toThrow(failing('PATCH /postgrest'));
  });
});
