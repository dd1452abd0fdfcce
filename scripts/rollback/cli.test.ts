import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/paths';

const rollback = (...args: string[]) =>
  spawnSync('node_modules/.bin/tsx', ['scripts/rollback/cli.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });

describe('npm run rollback', () => {
  it('explains its usage and changes nothing when the stack or the tag is missing', () => {
    const result = rollback('--stack', 'prod');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run rollback -- --stack STACK --to vX.Y.Z');
  });

  it('refuses an unknown tag before asking for any credential', () => {
    const result = rollback('--stack', 'prod', '--to', 'v0.0.0-never-tagged');
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      "rollback refused: unknown tag 'v0.0.0-never-tagged': no such tag in this repository (git fetch --tags?)",
    );
  });
});
