/**
 * What `pulumi preview --refresh --expect-no-changes` said, from its exit code. The CLI maps its
 * exit codes from 3.226.1 on (we pin 3.248.0): 0 is a clean run, 7 means changes were found
 * although none were expected, and every other code (config, auth, resource, policy, stack not
 * found, cancelled, timeout, internal) is a failure of the check itself, never drift.
 */
export type PreviewOutcome = 'clean' | 'drift' | 'error';

/** The exit code of `--expect-no-changes` when the preview found changes. */
export const CHANGES_FOUND_EXIT_CODE = 7;

export function previewOutcome(exitCode: number | null): PreviewOutcome {
  if (exitCode === 0) return 'clean';
  if (exitCode === CHANGES_FOUND_EXIT_CODE) return 'drift';
  return 'error';
}

/** The read-only comparison of the program with reality; it writes no state. */
export const previewArgs = (stack: string) => [
  'preview',
  '--stack',
  stack,
  '--refresh',
  '--expect-no-changes',
  '--diff',
  '--non-interactive',
];
