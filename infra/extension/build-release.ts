import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildExtension } from '../../extension/build/build';
import type { BuildInputs } from '../../extension/build/inputs';
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
 * Builds the extension for one stack and zips it deterministically. The build goes to its own
 * temporary folder and the zip is renamed into place, so runs side by side never mix files.
 */
export async function buildRelease(
  repoRoot: string,
  inputs: BuildInputs,
  build = buildExtension,
): Promise<BuiltRelease> {
  const outDir = mkdtempSync(path.join(tmpdir(), `extension-${inputs.stack}-`));
  try {
    const { dir } = await build(inputs, { outDir });
    const zip = path.join(repoRoot, releaseZip(inputs.stack));
    mkdirSync(path.dirname(zip), { recursive: true });
    // Written beside its place, so the rename stays on one file system.
    const partial = `${zip}.${path.basename(outDir)}.partial`;
    const sha256 = await deterministicZip(dir, partial);
    renameSync(partial, zip);
    return { zip: releaseZip(inputs.stack), sha256 };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
