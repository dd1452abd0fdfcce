import type { StepResult } from './smoke';

const RELEASE = /^v(\d+)\.(\d+)\.(\d+)$/;
const parts = (tag: string) => RELEASE.exec(tag)!.slice(1).map(Number) as [number, number, number];
const compare = (a: string, b: string) => {
  const [x, y] = [parts(a), parts(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/** The newest release before `current` (the one deployed), if any. */
export function previousRelease(current: string, tags: string[]): string | undefined {
  return tags
    .filter((t) => RELEASE.test(t))
    .filter((t) => !RELEASE.test(current) || compare(t, current) < 0)
    .sort(compare)
    .at(-1);
}

/**
 * The exact way back for a stack whose smoke test failed: prod goes back to the release before
 * the deployed one; staging deploys a branch, so its way back is a revert on that branch.
 */
export function rollbackCommand(
  stack: string,
  deployed: { ref: string; sha: string },
  tags: string[],
): string {
  if (stack !== 'prod') {
    return `git revert --no-edit ${deployed.sha}   # on a branch off develop, then merge it by pull request`;
  }
  const current = deployed.ref.replace(/^refs\/tags\//, '');
  const previous = previousRelease(current, tags);
  if (previous === undefined) {
    return `# no release before ${current}: fix forward with a fix/* branch off main`;
  }
  return `npm run rollback -- --stack prod --to ${previous}`;
}

/** The job summary: one line per step, and the way back when a step failed. */
export function summaryMarkdown(stack: string, results: StepResult[], rollback: string): string {
  const failed = results.some((r) => !r.ok);
  return [
    `## Smoke test of ${stack}: ${failed ? 'FAILED' : 'passed'}`,
    '',
    '| step | result | detail |',
    '| --- | --- | --- |',
    ...results.map(
      (r) => `| ${r.step} | ${r.ok ? 'ok' : '**failed**'} | ${r.message.replaceAll('|', '\\|')} |`,
    ),
    ...(failed ? ['', 'Roll back with:', '', '```sh', rollback, '```'] : []),
    '',
  ].join('\n');
}
