import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { buildExtension } from '../../extension/build/build';
import { repoRoot } from '../paths';
import { RELEASE_CACHE_DIR } from './build-cache';
import { buildRelease } from './build-release';
import { zipEntry } from './testing/fake-chrome-web-store';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const INPUTS = {
  stack: 'staging',
  supabaseUrl: 'https://stagingrefaaaaaaaaaa.supabase.co',
  anonKey: 'anon-key-of-staging',
  version: '1.4.2.7',
  siteUrl: 'https://staging.read-aloud.app',
};

/** A fresh copy of what the build reads, as a clone of the repository would have it. */
function clone(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'release-clone-'));
  const skip = (from: string) => !/\/(node_modules|dist)(\/|$)/.test(from);
  for (const dir of ['extension', 'speech']) {
    cpSync(path.join(repoRoot, dir), path.join(root, dir), { recursive: true, filter: skip });
  }
  cpSync(path.join(repoRoot, 'tsconfig.json'), path.join(root, 'tsconfig.json'));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

/** Other file times and one other mode, as another checkout would give. */
async function touchAll(root: string, mtime: Date) {
  for (const entry of await readdir(path.join(root, 'extension/src'), {
    recursive: true,
    withFileTypes: true,
  })) {
    if (entry.isFile()) utimesSync(path.join(entry.parentPath, entry.name), mtime, mtime);
  }
  chmodSync(path.join(root, 'extension/src/popup/popup.css'), 0o755);
}

/** The clone's own copy of the build code, as a deploy from that checkout would run it. */
const buildOf = async (root: string) =>
  (
    (await import(path.join(root, 'extension/build/build.ts'))) as {
      buildExtension: typeof buildExtension;
    }
  ).buildExtension;

/** Builds a clone, or takes its cached zip; `builds` counts the real builds. */
async function release(root: string, inputs = INPUTS, builds = { count: 0 }) {
  const build = await buildOf(root);
  const built = await buildRelease(root, inputs, async (...args) => {
    builds.count++;
    return build(...args);
  });
  return { ...built, bytes: readFileSync(path.join(root, built.zip)) };
}

describe('the release zip', () => {
  it('is byte-identical from two clones, whatever their file times and modes', async () => {
    const first = clone();
    const second = clone();
    await touchAll(second, new Date('2001-02-03T04:05:06Z'));
    const [a, b] = [await release(first), await release(second)];
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.sha256).toBe(b.sha256);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    // It is the stack's build: its manifest carries the version.
    expect(JSON.parse(zipEntry(a.bytes, 'manifest.json')!.toString('utf8')).version).toBe(
      '1.4.2.7',
    );
  });

  it('changes its hash, the upload trigger, with one source byte, not with a test or a README', async () => {
    const root = clone();
    const before = await release(root);

    writeFileSync(path.join(root, 'extension/README.md'), '# edited\n', { flag: 'a' });
    const test = path.join(
      root,
      'extension/test/e2e',
      (await readdir(path.join(root, 'extension/test/e2e')))[0]!,
    );
    writeFileSync(test, '\n// edited\n', { flag: 'a' });
    expect((await release(root)).sha256).toBe(before.sha256);

    const html = path.join(root, 'extension/src/popup/popup.html');
    writeFileSync(
      html,
      readFileSync(html, 'utf8').replace('<title>Read Aloud', '<title>Read Aloue'),
    );
    expect((await release(root)).sha256).not.toBe(before.sha256);
  });
});

describe('the release cache', () => {
  const entries = (root: string, ext: string) =>
    readdirSync(path.join(root, RELEASE_CACHE_DIR))
      .filter((file) => file.endsWith(ext))
      .map((file) => path.join(root, RELEASE_CACHE_DIR, file));

  it('reuses the zip of the same sources and settings, and builds again when either changes', async () => {
    const root = clone();
    const builds = { count: 0 };
    const first = await release(root, INPUTS, builds);
    const again = await release(root, INPUTS, builds);
    expect(builds.count).toBe(1);
    expect(again.sha256).toBe(first.sha256);
    expect(again.bytes.equals(first.bytes)).toBe(true);

    const html = path.join(root, 'extension/src/popup/popup.html');
    writeFileSync(
      html,
      readFileSync(html, 'utf8').replace('<title>Read Aloud', '<title>Read Aloue'),
    );
    const edited = await release(root, INPUTS, builds);
    expect(builds.count).toBe(2);
    expect(edited.sha256).not.toBe(first.sha256);
    expect(edited.sha256).toBe(sha256(edited.bytes));

    const bumped = await release(root, { ...INPUTS, version: '1.4.2.8' }, builds);
    expect(builds.count).toBe(3);
    expect(bumped.sha256).not.toBe(edited.sha256);
  });

  it('builds again when a bundled source changes, even to a byte the minifier drops', async () => {
    const root = clone();
    const builds = { count: 0 };
    const first = await release(root, INPUTS, builds);
    writeFileSync(path.join(root, 'extension/src/popup/popup.ts'), '\n// edited\n', { flag: 'a' });
    const edited = await release(root, INPUTS, builds);
    expect(builds.count).toBe(2);
    expect(edited.sha256).toBe(first.sha256);
  });

  it('does not trust a corrupted entry: it builds again and gives the real zip', async () => {
    const root = clone();
    const builds = { count: 0 };
    const first = await release(root, INPUTS, builds);

    const [zip] = entries(root, '.zip');
    const bytes = readFileSync(zip!);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    writeFileSync(zip!, bytes);
    const afterZip = await release(root, INPUTS, builds);
    expect(builds.count).toBe(2);
    expect(afterZip.sha256).toBe(first.sha256);
    expect(afterZip.bytes.equals(first.bytes)).toBe(true);

    const [entry] = entries(root, '.json');
    writeFileSync(entry!, readFileSync(entry!, 'utf8').slice(0, 20));
    const afterEntry = await release(root, INPUTS, builds);
    expect(builds.count).toBe(3);
    expect(afterEntry.sha256).toBe(first.sha256);
    expect(await release(root, INPUTS, builds)).toEqual(afterEntry);
    expect(builds.count).toBe(3);
  });
});
