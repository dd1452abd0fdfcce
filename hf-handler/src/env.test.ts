import { describe, expect, it } from 'vitest';
import { HANDLER_ENV_VARS, readHandlerEnv } from './env';

describe('readHandlerEnv', () => {
  it('defaults to the Hugging Face container contract: port 80 and the repository at /repository', () => {
    expect(readHandlerEnv({})).toEqual({
      port: 80,
      modelDir: '/repository',
      modelFile: 'onnx/model.onnx',
      defaultVoice: 'af_heart',
      maxConcurrency: 1,
      maxQueue: 8,
      maxTextChars: 5000,
    });
  });

  it('reads every listed variable and nothing else', () => {
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
