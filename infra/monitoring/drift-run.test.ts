import { describe, expect, it } from 'vitest';
import { skippedCheck, type DriftCheck } from './drift-checks';
import { DRIFT_EXIT, runDrift } from './drift-run';
import { previewArgs, previewOutcome } from './preview-outcome';

const quiet: DriftCheck = { name: 'quiet', run: () => Promise.resolve([]) };
const drifted: DriftCheck = {
  name: 'functions',
  run: () =>
    Promise.resolve([
      { resource: 'function tts', property: 'deployed', expected: 'yes', actual: 'missing' },
    ]),
};
const broken: DriftCheck = {
  name: 'migrations',
  run: () => Promise.reject(new Error('connect failed for postgres:hunter2secret@db')),
};
const preview = (exitCode: number) => ({
  outcome: previewOutcome(exitCode),
  exitCode,
  output:
    'Previewing update (prod):\n  ~ github:RepositoryRuleset branch-rules update [diff: ~rules]\n',
});

describe('the preview exit code of the pinned CLI', () => {
  it('maps 0 to clean, 7 to drift, and every other code to an error of the check', () => {
    expect(previewOutcome(0)).toBe('clean');
    expect(previewOutcome(7)).toBe('drift');
    for (const code of [1, 2, 3, 4, 5, 6, 8, 9, 255, null])
      expect(previewOutcome(code)).toBe('error');
  });

  it('runs a read-only preview: refresh as a flag of preview, never a command of its own', () => {
    const args = previewArgs('prod');
    expect(args[0]).toBe('preview');
    expect(args).toEqual(
      expect.arrayContaining(['--refresh', '--expect-no-changes', '--stack', 'prod']),
    );
    expect(args.filter((a) => ['up', 'refresh', 'destroy', 'import'].includes(a))).toEqual([]);
  });
});

describe('a drift run', () => {
  it('is clean when the preview exits 0 and no check finds anything', async () => {
    const result = await runDrift('prod', preview(0), [quiet], []);
    expect(result.status).toBe('clean');
    expect(DRIFT_EXIT[result.status]).toBe(0);
    expect(result.report).toContain('No drift.');
  });

  it('is drift when the preview exits 7, with the preview output in the report', async () => {
    const result = await runDrift('prod', preview(7), [quiet], []);
    expect(result.status).toBe('drift');
    expect(DRIFT_EXIT[result.status]).toBe(3);
    expect(result.report).toContain('branch-rules update');
  });

  it('is drift when a check finds a difference, listing resource and property', async () => {
    const result = await runDrift('prod', preview(0), [drifted, quiet], []);
    expect(result.status).toBe('drift');
    expect(result.report).toContain('| function tts | deployed | yes | missing |');
  });

  it('is an error, not drift and not clean, when the preview fails with any other code', async () => {
    for (const code of [1, 3, 4, 255]) {
      const result = await runDrift('prod', preview(code), [quiet], []);
      expect(result.status).toBe('error');
      expect(result.errors).toEqual([`pulumi preview failed with exit code ${code}`]);
    }
  });

  it('keeps running the other checks when one fails, and redacts secrets in the report', async () => {
    const result = await runDrift('prod', undefined, [broken, drifted], ['hunter2secret']);
    expect(result.status).toBe('error');
    expect(result.findings).toHaveLength(1);
    expect(result.report).toContain('migrations: connect failed for postgres:[secret]@db');
    expect(result.report).not.toContain('hunter2secret');
  });

  it('names a skipped check and why, and a run with only skips beside quiet checks is clean', async () => {
    const skipped = skippedCheck('store item', 'the stack uploads without publishing');
    const result = await runDrift('prod', preview(0), [quiet, skipped], []);
    expect(result.status).toBe('clean');
    expect(result.report).toContain('- explicit checks: quiet\n');
    expect(result.report).toContain('- skipped: store item (the stack uploads without publishing)');
  });
});
