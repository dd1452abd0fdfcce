import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ExtensionConfig } from '../src/config';
import { checkInputs, type BuildInputs } from './inputs';
import { manifest } from './manifest';

/** The bundles, by the file they are written to. */
export const ENTRIES = {
  background: 'background/service-worker.ts',
  content: 'content/content.ts',
  offscreen: 'offscreen/offscreen.ts',
  popup: 'popup/popup.ts',
} as const;

// Searched upward from this file, so a bundle of the build (the offline plan's) finds the sources too.
function extensionDirFrom(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    for (const candidate of [dir, join(dir, 'extension')]) {
      if (existsSync(join(candidate, 'src', ENTRIES.background))) return candidate;
    }
    if (dirname(dir) === dir) throw new Error(`no extension sources above ${start}`);
  }
}
const EXTENSION_DIR = extensionDirFrom(__dirname);
const SRC = join(EXTENSION_DIR, 'src');

const STATIC_FILES = [
  'content/content.css',
  'offscreen/offscreen.html',
  'popup/popup.html',
  'popup/popup.css',
];

export interface BuildOptions {
  /** Default: `extension/dist/<stack>`. */
  outDir?: string;
  /** Records highlights for the end-to-end tests; never in a release. */
  testHooks?: boolean;
}

/** Builds the extension for one stack; returns the directory Chrome loads. */
export async function buildExtension(
  raw: BuildInputs,
  { outDir, testHooks = false }: BuildOptions = {},
) {
  const inputs = checkInputs(raw);
  const dir = outDir ?? join(EXTENSION_DIR, 'dist', inputs.stack);
  const config: ExtensionConfig = {
    stack: inputs.stack,
    apiBase: inputs.supabaseUrl,
    anonKey: inputs.anonKey,
    siteUrl: inputs.siteUrl,
    version: inputs.version,
    testHooks,
  };
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const result = await build({
    entryPoints: Object.fromEntries(
      Object.entries(ENTRIES).map(([out, file]) => [out, join(SRC, file)]),
    ),
    outdir: dir,
    bundle: true,
    format: 'iife',
    target: 'chrome116',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    define: { __CONFIG__: JSON.stringify(config) },
  });
  for (const file of STATIC_FILES)
    await copyFile(join(SRC, file), join(dir, file.split('/').pop()!));
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest(inputs), null, 2)}\n`);
  // Every file the build read (`<define:...>` entries are not files), for a cache to check.
  const sources = [
    ...Object.keys(result.metafile.inputs)
      .filter((input) => !input.startsWith('<'))
      .map((input) => resolve(input)),
    ...STATIC_FILES.map((file) => join(SRC, file)),
  ];
  return { dir, metafile: result.metafile, sources };
}
