import { environmentOf, jobsOf, type Job, type Workflow } from '../repo';
import type { WorkflowRule } from '../rules';

const concurrencyOf = (job: Job, workflow: Workflow) => {
  const concurrency = job.concurrency ?? workflow.concurrency;
  return typeof concurrency === 'string'
    ? { group: concurrency }
    : (concurrency as { group?: string; 'cancel-in-progress'?: unknown } | undefined);
};

export const deploysQueuePerStack: WorkflowRule = {
  name: 'every deploy runs in a per-stack concurrency group that never cancels a deploy',
  check(repo, stacks) {
    return jobsOf(repo).flatMap(({ file, id, job, workflow }) => {
      const owner = stacks.find((s) => s.deployEnvironment === environmentOf(job));
      if (owner === undefined) return [];
      const concurrency = concurrencyOf(job, workflow);
      if (concurrency?.group === undefined) return [`${file} job ${id}: no concurrency group`];
      return [
        ...(concurrency.group.includes(owner.stack)
          ? []
          : [
              `${file} job ${id}: concurrency group '${concurrency.group}' does not name stack ${owner.stack}`,
            ]),
        ...(concurrency['cancel-in-progress'] === undefined ||
        concurrency['cancel-in-progress'] === false
          ? []
          : [`${file} job ${id}: cancel-in-progress would cancel a running deploy`]),
      ];
    });
  },
};
