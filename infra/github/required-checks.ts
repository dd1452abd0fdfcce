import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { workflowsDir } from '../paths';

interface Workflow {
  on?: unknown;
  jobs?: Record<string, { name?: string; [key: string]: unknown }>;
}

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

export function readWorkflows(dir = workflowsDir): { file: string; workflow: Workflow }[] {
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => ({
      file,
      workflow: parse(readFileSync(path.join(dir, file), 'utf8')) as Workflow,
    }));
}

function pullRequestFilter(on: unknown): BranchFilter | undefined {
  if (on === 'pull_request') return {};
  if (Array.isArray(on)) return on.includes('pull_request') ? {} : undefined;
  if (on && typeof on === 'object' && 'pull_request' in on) {
    return ((on as Record<string, unknown>).pull_request ?? {}) as BranchFilter;
  }
  return undefined;
}

function runsOnPullRequestsTo(filter: BranchFilter, branch: string): boolean {
  const matches = (patterns: string[]) => patterns.some((p) => minimatch(branch, p));
  if (filter.branches) return matches(filter.branches);
  if (filter['branches-ignore']) return !matches(filter['branches-ignore']);
  return true;
}

// A pull request from a fork gets no secrets, so a job that needs one can never be required.
const usesSecrets = (job: unknown) =>
  /secrets\.(?!GITHUB_TOKEN\b)/.test(JSON.stringify(job)) || 'environment' in (job as object);

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

/** The required status checks of `branch`: every pull-request job a fork's PR can run. */
export function requiredChecksFor(branch: string, dir = workflowsDir): string[] {
  return pullRequestJobs(branch, dir)
    .filter(({ job }) => !usesSecrets(job))
    .map(({ context }) => context)
    .sort();
}
