import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANDLER_ENV_VARS, readHandlerEnv } from './env';

describe('readHandlerEnv', () => {
  it('defaults to a non-root port and the repository where the endpoint mounts it', () => {
    expect(readHandlerEnv({})).toEqual({
      port: 8080,
      modelDir: '/repository',
      modelFile: 'onnx/model.onnx',
      defaultVoice: 'af_heart',
      maxConcurrency: 1,
      maxQueue: 8,
      maxTextChars: 5000,
    });
  });

  it('reads every listed variable', () => {
    const values = ['8080', '/models/k', 'onnx/model_q8.onnx', 'bf_emma', '2', '0', '900'];
    const env = Object.fromEntries(HANDLER_ENV_VARS.map((name, i) => [name, values[i]!]));
    expect(Object.values(readHandlerEnv(env))).toEqual([
      8080,
      '/models/k',
      'onnx/model_q8.onnx',
      'bf_emma',
      2,
      0,
      900,
    ]);
  });

  it('names the variable when a number is wrong', () => {
    expect(() => readHandlerEnv({ MAX_CONCURRENCY: '0' })).toThrow(
      /MAX_CONCURRENCY must be an integer >= 1/,
    );
    expect(() => readHandlerEnv({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});

describe('the handler environment', () => {
  it('is read in env.ts alone, so HANDLER_ENV_VARS lists all of it', async () => {
    const sources = (await readdir(__dirname, { recursive: true })).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'env.ts',
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      expect(await readFile(join(__dirname, file), 'utf8'), file).not.toMatch(
        /process\.env|process\[/,
      );
    }
  });

  it('reads exactly the listed names', () => {
    const read = new Set<string | symbol>();
    readHandlerEnv(new Proxy({}, { get: (_, name) => void read.add(name) }));
    expect([...read].sort()).toEqual([...HANDLER_ENV_VARS].sort());
  });
});
