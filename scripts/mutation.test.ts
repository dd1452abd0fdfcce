import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODULES, mutationScore, scoreLine, selectModules } from './mutation';

const root = path.resolve(__dirname, '..');
const statuses = (counts: Record<string, number>) =>
  Object.entries(counts).flatMap(([status, n]) => Array(n).fill({ status }));

describe('npm run test:mutation', () => {
  it('scores as Stryker does: killed and timed out over all but ignored and erroring mutants', () => {
    const results = statuses({
      Killed: 6,
      Timeout: 2,
      Survived: 1,
      NoCoverage: 1,
      Ignored: 5,
      CompileError: 3,
      RuntimeError: 1,
    });
    expect(mutationScore(results)).toBe(80);
    expect(mutationScore(statuses({ Ignored: 2 }))).toBe(100);
  });

  it('prints one line per module and marks a score under the threshold', () => {
    expect(scoreLine('chunks', statuses({ Killed: 17, Survived: 3, Ignored: 2 }))).toBe(
      'ok  chunks            85.0%  (22 mutants, 2 set aside as equivalent; threshold 85%)',
    );
    expect(scoreLine('config', statuses({ Killed: 84, Survived: 16 }))).toMatch(
      /^LOW config +84\.0%/,
    );
  });

  it('runs every module by default, or the ones named, and refuses an unknown one', () => {
    expect(selectModules([])).toEqual(MODULES);
    expect(selectModules(['rollout', 'config']).map((m) => m.name)).toEqual(['rollout', 'config']);
    expect(() => selectModules(['chunk'])).toThrow(/^unknown module chunk; known: word-timings, /);
  });

  it('names a module file and test files that exist', () => {
    for (const { mutate, testFiles } of MODULES) {
      for (const file of [mutate, ...testFiles])
        expect(existsSync(path.join(root, file)), file).toBe(true);
    }
  });
});
