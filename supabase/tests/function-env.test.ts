import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveFunction } from '../../scripts/local-backend/functions';
import { REPO_ROOT } from '../../scripts/local-backend/migrations';
import { FUNCTION_ENV, FUNCTION_NAMES } from '../functions/_shared/functions.ts';

const FUNCTIONS_DIR = join(REPO_ROOT, 'supabase/functions');

describe('function environment', () => {
  it.each(FUNCTION_NAMES)(
    '%s refuses to start without its variables, naming each',
    async (name) => {
      const [first, ...rest] = FUNCTION_ENV[name];
      await expect(serveFunction(name, { [first]: 'set' })).rejects.toThrow(
        `missing environment variable(s): ${rest.join(', ')}`,
      );
    },
  );

  it('lists every function: each folder with an index.ts, as the Supabase CLI deploys them', () => {
    const folders = readdirSync(FUNCTIONS_DIR).filter((entry) =>
      existsSync(join(FUNCTIONS_DIR, entry, 'index.ts')),
    );
    expect([...FUNCTION_NAMES].sort()).toEqual(folders.sort());
  });

  it('only _shared/env.ts reads the environment', () => {
    const sources = readdirSync(FUNCTIONS_DIR, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('_test.ts'),
    );
    const readers = sources.filter((file) =>
      /Deno\.env/.test(readFileSync(join(FUNCTIONS_DIR, file), 'utf8')),
    );
    expect(readers).toEqual([join('_shared', 'env.ts')]);
  });
});
