// Shared settings of `npm run test:mutation`; scripts/mutation.ts adds each module's files and reports.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // Each module names its own test files (see that config), so vitest need not search the import graph.
  vitest: { configFile: 'vitest.mutation.config.mts', related: false },
  coverageAnalysis: 'perTest',
  // The machine is small and shared: one test runner at a time.
  concurrency: 1,
  // Other work slows the tests down at times; only a mutant that hangs well past that is a timeout.
  timeoutMS: 30_000,
  tempDirName: '.cache/stryker',
  ignorePatterns: ['reports', '.cache'],
  reporters: ['clear-text', 'html', 'json'],
  clearTextReporter: { logTests: false, reportTests: false, reportScoreTable: false },
  logLevel: 'warn',
};
