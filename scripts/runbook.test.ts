import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../infra/paths';

/** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces as dashes. */
const anchorOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s/g, '-');

describe('RUNBOOK.md', () => {
  const runbook = readFileSync(path.join(repoRoot, 'RUNBOOK.md'), 'utf8');
  const anchors = [...runbook.matchAll(/^#{2,3} (.+)$/gm)].map((m) => anchorOf(m[1]!));

  it('has the sections issues and workflows link to', () => {
    expect(anchors).toEqual(
      expect.arrayContaining([
        'deploy',
        'releases',
        'rollback',
        'drift',
        'health',
        'secret-rotation',
      ]),
    );
    expect(anchors).toContain('bootstrap-of-a-new-stack');
  });

  it('has every anchor the repository links to', () => {
    const tracked = execFileSync('git', ['grep', '-hoE', 'RUNBOOK\\.md#[a-z0-9-]+'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const linked = [...new Set(tracked.split('\n').filter(Boolean))].map((l) => l.split('#')[1]!);
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.filter((anchor) => !anchors.includes(anchor))).toEqual([]);
  });
});
