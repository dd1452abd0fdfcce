import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildExtension } from './build';
import { checkInputs, type BuildInputs } from './inputs';

const staging: BuildInputs = {
  stack: 'staging',
  supabaseUrl: 'https://abcdefghijklmnop.supabase.co/',
  anonKey: 'sb_publishable_staging',
  version: '1.2.3.57',
  siteUrl: 'https://staging.read-aloud.app',
};

describe('checkInputs', () => {
  it.each([
    [{ stack: 'Staging!' }, /stack/],
    [{ supabaseUrl: 'abcdefghijklmnop.supabase.co' }, /supabaseUrl must be a URL/],
    [{ supabaseUrl: 'http://abcdefghijklmnop.supabase.co' }, /supabaseUrl must be https/],
    [{ siteUrl: 'ftp://read-aloud.app' }, /siteUrl must be https/],
    [{ anonKey: ' ' }, /anonKey/],
    [{ version: '1.02.3' }, /version/],
    [{ version: '1.2.3.4.5' }, /version/],
    [{ version: '70000' }, /version/],
  ])('rejects %j, naming the input', (bad, message) => {
    expect(() => checkInputs({ ...staging, ...bad })).toThrow(message);
  });

  it('accepts plain http on this machine only', () => {
    expect(checkInputs({ ...staging, supabaseUrl: 'http://127.0.0.1:54321' }).supabaseUrl).toBe(
      'http://127.0.0.1:54321',
    );
  });
});

describe('buildExtension', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('writes a stack’s extension with its version, its API host only and its settings', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'extension-build-'));
    dirs.push(outDir);
    await buildExtension(staging, { outDir });

    expect((await readdir(outDir)).sort()).toEqual([
      'background.js',
      'content.css',
      'content.js',
      'manifest.json',
      'offscreen.html',
      'offscreen.js',
      'popup.css',
      'popup.html',
      'popup.js',
    ]);
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      manifest_version: 3,
      version: '1.2.3.57',
      name: 'Read Aloud (staging)',
      permissions: ['activeTab', 'scripting', 'storage', 'contextMenus', 'offscreen'],
      host_permissions: ['https://abcdefghijklmnop.supabase.co/*'],
      background: { service_worker: 'background.js' },
    });
    expect(manifest.content_security_policy.extension_pages).toBe(
      "script-src 'self'; object-src 'none'; base-uri 'none'",
    );
    const background = await readFile(join(outDir, 'background.js'), 'utf8');
    expect(background).toContain('https://abcdefghijklmnop.supabase.co');
    expect(background).toContain('sb_publishable_staging');
    // No remote code: nothing is loaded from outside the package.
    for (const file of ['background.js', 'content.js', 'popup.js', 'offscreen.js']) {
      const code = await readFile(join(outDir, file), 'utf8');
      expect(code).not.toMatch(/importScripts\(|\beval\(|new Function\(/);
    }
  });

  it('writes nothing when an input is bad', async () => {
    const outDir = join(await mkdtemp(join(tmpdir(), 'extension-build-')), 'out');
    dirs.push(outDir);
    await expect(buildExtension({ ...staging, version: 'v1' }, { outDir })).rejects.toThrow(
      /version/,
    );
    await expect(readdir(outDir)).rejects.toThrow(/ENOENT/);
  });
});
