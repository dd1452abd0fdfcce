import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('the newcomer commands', () => {
  it('README opens with the plan command and the test command that CI runs', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(read('README.md'))?.[1] ?? '';
    const [planLine, testLine] = firstBlock
      .trim()
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, ''));
    expect(planLine).toBe('npm ci && npm run plan');
    expect(read('.ci/run').trim().split('\n').at(-1)).toBe(testLine);
  });
});
