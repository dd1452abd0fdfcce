import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'supabase/functions/**'],
    reporters: ['default', './scripts/vitest-summary-reporter.ts'],
    testTimeout: 30_000,
    // Planning both stacks in a beforeAll outlasts the 10 s default on a busy 2-core machine.
    hookTimeout: 120_000,
  },
});
