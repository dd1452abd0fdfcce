import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

// A mutation run narrows vitest itself to the module's tests: Stryker 9.6's own `testFiles`
// option activates module-level (static) mutants too late, so they always survive (stryker-js#6144).
const include = process.env.MUTATION_TEST_FILES?.split(',');
if (!include) throw new Error('MUTATION_TEST_FILES is not set: run `npm run test:mutation`');

export default defineConfig({ ...base, test: { ...base.test, include, reporters: ['default'] } });
