import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveFunction, type FunctionName } from '../../scripts/local-backend/functions';
import { REPO_ROOT } from '../../scripts/local-backend/migrations';

const FUNCTIONS_DIR = join(REPO_ROOT, 'supabase/functions');
/** What each function reads; the stacks must set every name that is not a SUPABASE_* default. */
const READS: Record<FunctionName, string[]> = {
  tts: ['SUPABASE_URL', 'SUPABASE_JWKS', 'SUPABASE_DB_URL', 'HF_ENDPOINT_URL', 'HF_TOKEN'],
  'log-error': ['SUPABASE_URL', 'SUPABASE_JWKS', 'SUPABASE_DB_URL'],
  'stripe-webhook': ['SUPABASE_DB_URL', 'STRIPE_WEBHOOK_SECRET'],
  health: ['SUPABASE_DB_URL', 'HF_ENDPOINT_URL', 'HF_TOKEN'],
};

describe('function environment', () => {
  it.each(Object.entries(READS))(
    '%s refuses to start without its variables, naming each',
    async (name, reads) => {
      const [first, ...rest] = reads;
      const onlyFirst = { [first!]: 'set' };
      await expect(serveFunction(name as FunctionName, onlyFirst)).rejects.toThrow(
        `missing environment variable(s): ${rest.join(', ')}`,
      );
    },
  );

  it('only _shared/env.ts reads the environment, and it reads exactly these names', () => {
    const sources = readdirSync(FUNCTIONS_DIR, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('_test.ts'),
    );
    const readers = sources.filter((file) =>
      /Deno\.env\.get/.test(readFileSync(join(FUNCTIONS_DIR, file), 'utf8')),
    );
    expect(readers).toEqual([join('_shared', 'env.ts')]);
    const envSource = readFileSync(join(FUNCTIONS_DIR, '_shared/env.ts'), 'utf8');
    const names = [...envSource.matchAll(/Deno\.env\.get\('([A-Z0-9_]+)'\)/g)].map((m) => m[1]);
    expect(names.sort()).toEqual([...new Set(Object.values(READS).flat())].sort());
    for (const [name, reads] of Object.entries(READS)) {
      const index = readFileSync(join(FUNCTIONS_DIR, name, 'index.ts'), 'utf8');
      const required = /requireEnv\(([^)]*)\)/.exec(index)?.[1] ?? '';
      expect([...required.matchAll(/'([A-Z0-9_]+)'/g)].map((m) => m[1])).toEqual(reads);
    }
  });
});
