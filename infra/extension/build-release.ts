import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildExtension } from '../../extension/build/build';
import type { BuildInputs } from '../../extension/build/inputs';
import { ReleaseCache } from './build-cache';
import { deterministicZip } from './zip';

export interface BuiltRelease {
  /** The zip to upload, relative to the repository root (where the command runs). */
  zip: string;
  /** Its sha256: the same sources and inputs give the same bytes, so the same hash. */
  sha256: string;
}

/** Where a stack's zip goes: in extension/dist/, which git ignores. */
export const releaseZip = (stack: string) => `extension/dist/${stack}.zip`;

/**
 * Builds the extension for one stack and zips it deterministically, unless the release cache holds
 * the zip of the same sources, settings and tools. The build goes to its own temporary folder and
 * the zip is renamed into place, so runs side by side never mix files.
 */
export async function buildRelease(
  repoRoot: string,
  inputs: BuildInputs,
  build = buildExtension,
  cache = new ReleaseCache(repoRoot, inputs),
): Promise<BuiltRelease> {
  const zip = path.join(repoRoot, releaseZip(inputs.stack));
  mkdirSync(path.dirname(zip), { recursive: true });
  const cached = cache.find();
  if (cached !== undefined) {
    const partial = `${zip}.${process.pid}.${randomUUID()}.partial`;
    writeFileSync(partial, cached.bytes);
    renameSync(partial, zip);
    return { zip: releaseZip(inputs.stack), sha256: cached.sha256 };
  }
  const outDir = mkdtempSync(path.join(tmpdir(), `extension-${inputs.stack}-`));
  try {
    const { dir, sources } = await build(inputs, { outDir });
    // Written beside its place, so the rename stays on one file system.
    const partial = `${zip}.${path.basename(outDir)}.partial`;
    const sha256 = await deterministicZip(dir, partial);
    cache.store(sources, readFileSync(partial));
    renameSync(partial, zip);
    return { zip: releaseZip(inputs.stack), sha256 };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
