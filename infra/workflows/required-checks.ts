import { minimatch } from 'minimatch';
import { workflowsDir } from '../paths';
import { readWorkflows, triggersOf } from './repo';

/** The workflows whose jobs every pull request must pass (contract 1), to hold the derivation below against. */
export const MUST_PASS_WORKFLOWS = ['ci-checks.yml', 'integration-tests.yml'];

interface BranchFilter {
  branches?: string[];
  'branches-ignore'?: string[];
}

export interface WorkflowJob {
  file: string;
  id: string;
  /** The status check context GitHub reports for the job. */
  context: string;
  job: Record<string, unknown>;
}

const pullRequestFilter = (on: unknown) => triggersOf(on).pull_request as BranchFilter | undefined;

function runsOnPullRequestsTo(filter: BranchFilter, branch: string): boolean {
  const matches = (patterns: string[]) => patterns.some((p) => minimatch(branch, p));
  if (filter.branches) return matches(filter.branches);
  if (filter['branches-ignore']) return !matches(filter['branches-ignore']);
  return true;
}

// A fork's PR gets no secrets, so a job that needs one can never be required; a job with `if:`
// may be skipped, and a skipped check counts as passed, so requiring it would prove nothing.
const cannotBeRequired = (job: object) =>
  /secrets\.(?!GITHUB_TOKEN\b)/.test(JSON.stringify(job)) || 'environment' in job || 'if' in job;

/** The jobs that run on pull requests to `branch`, as GitHub names their status checks. */
export function pullRequestJobs(branch: string, dir = workflowsDir): WorkflowJob[] {
  return readWorkflows(dir).flatMap(({ file, workflow }) => {
    const filter = pullRequestFilter(workflow.on);
    if (!filter || !runsOnPullRequestsTo(filter, branch)) return [];
    return Object.entries(workflow.jobs ?? {}).map(([id, job]) => {
      const context = job.name ?? id;
      if (context.includes('${{')) {
        throw new Error(
          `${file}: job '${id}' has a computed name, which cannot be a required check`,
        );
      }
      return { file, id, context, job };
    });
  });
}

/** The required status checks of `branch`: every pull-request job that runs, and can pass, on every PR. */
export function requiredChecksFor(branch: string, dir = workflowsDir): string[] {
  return pullRequestJobs(branch, dir)
    .filter(({ job }) => !cannotBeRequired(job))
    .map(({ context }) => context)
    .sort();
}
