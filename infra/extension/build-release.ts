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

/** Where a stack's zip goes: beside its build in extension/dist/, which git ignores. */
export const releaseZip = (stack: string) => `extension/dist/${stack}.zip`;

/** Builds the extension for one stack and zips it deterministically. */
export async function buildRelease(
  repoRoot: string,
  inputs: BuildInputs,
  build = buildExtension,
): Promise<BuiltRelease> {
  const { dir } = await build(inputs);
  const zip = releaseZip(inputs.stack);
  return { zip, sha256: await deterministicZip(dir, path.join(repoRoot, zip)) };
}
