import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');

/** Judges a message with the same npm script and config the `commits` check runs. */
const judge = (message: string) =>
  spawnSync('npm', ['run', '--silent', 'commitlint'], {
    cwd: root,
    input: message,
    encoding: 'utf8',
  });

describe('Conventional Commits (npm run commitlint)', () => {
  it('accepts a conventional message', () => {
    const result = judge('feat(ci): preview every pull request\n\nWhy it matters.\n');
    expect(result.stdout).toContain('found 0 problems');
    expect(result.status).toBe(0);
  });

  it('rejects a message without a type, naming the rule', () => {
    const result = judge('Fixed the deploy\n');
    expect(result.stdout).toContain('type-empty');
    expect(result.status).not.toBe(0);
  });

  it('rejects an unknown type', () => {
    const result = judge('feature: preview every pull request\n');
    expect(result.stdout).toContain('type-enum');
    expect(result.status).not.toBe(0);
  });
});
