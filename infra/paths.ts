import path from 'node:path';

/** The monorepo root: the program reads the workflow files and stack files from here. */
export const repoRoot = path.resolve(__dirname, '..');
export const workflowsDir = path.join(repoRoot, '.github', 'workflows');
