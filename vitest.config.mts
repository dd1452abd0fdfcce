import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // .cache holds Stryker's sandboxes, copies of these very tests.
    exclude: ['**/node_modules/**', 'supabase/functions/**', '.cache/**'],
    reporters: ['default', './scripts/vitest-summary-reporter.ts'],
    testTimeout: 30_000,
    // Set-up hooks start Postgres, Deno, Chromium or plan both stacks: slow on a busy 2-core machine.
    hookTimeout: 120_000,
  },
});
