import { describe, expect, it } from 'vitest';
import { previousRelease, rollbackCommand, summaryMarkdown } from './report';

const tags = ['v1.4.1', 'v1.10.0', 'v1.4.2', 'v1.9.3', 'v2.0.0-rc.1', 'nightly'];

describe('the way back a failed smoke test prints', () => {
  it('takes prod back to the release before the deployed tag, by version order', () => {
    expect(previousRelease('v1.10.0', tags)).toBe('v1.9.3');
    expect(previousRelease('v1.4.1', tags)).toBeUndefined();
    expect(rollbackCommand('prod', { ref: 'refs/tags/v1.10.0', sha: 'abc' }, tags)).toBe(
      'npm run rollback -- --stack prod --to v1.9.3',
    );
    expect(rollbackCommand('prod', { ref: 'refs/tags/v1.4.1', sha: 'abc' }, tags)).toBe(
      '# no release before v1.4.1: fix forward with a fix/* branch off main',
    );
  });

  it('reverts the deployed commit on staging, which deploys a branch', () => {
    expect(rollbackCommand('staging', { ref: 'refs/heads/develop', sha: 'abc123' }, tags)).toBe(
      'git revert --no-edit abc123   # on a branch off develop, then merge it by pull request',
    );
  });
});

describe('the job summary', () => {
  it('lists every step and, when one failed, the rollback command', () => {
    const summary = summaryMarkdown(
      'prod',
      [
        { step: 'health function', ok: true, message: 'fine' },
        { step: 'tts', ok: false, message: 'a | b' },
      ],
      'npm run rollback -- --stack prod --to v1.9.3',
    );
    expect(summary).toBe(
      [
        '## Smoke test of prod: FAILED',
        '',
        '| step | result | detail |',
        '| --- | --- | --- |',
        '| health function | ok | fine |',
        '| tts | **failed** | a \\| b |',
        '',
        'Roll back with:',
        '',
        '```sh',
        'npm run rollback -- --stack prod --to v1.9.3',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('names no rollback when every step passed', () => {
    const summary = summaryMarkdown('prod', [{ step: 's', ok: true, message: 'm' }], 'cmd');
    expect(summary).toContain('## Smoke test of prod: passed');
    expect(summary).not.toContain('cmd');
  });
});
