import { existsSync } from 'node:fs';
import path from 'node:path';

/** The nearest folder up from `start` that holds Pulumi.yaml. */
export function projectRootFrom(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'Pulumi.yaml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${start}`);
  }
}

/** The monorepo root, found upward so the program runs the same from source or from a bundle. */
export const repoRoot = projectRootFrom(__dirname);
export const workflowsDir = path.join(repoRoot, '.github', 'workflows');
