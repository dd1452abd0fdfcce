import { list, sameList } from '../lists';
import { MUST_PASS_WORKFLOWS, pullRequestJobs, requiredChecksFor } from '../required-checks';
import type { WorkflowRule } from '../rules';

export const requiredChecksAreMustPassJobs: WorkflowRule = {
  name: 'contract 1: the required checks of each branch are the jobs every PR to it must pass',
  check(repo, stacks) {
    return stacks.flatMap(({ stack, branch, requiredChecks }) => {
      const mustPass = pullRequestJobs(branch, repo.workflowsDir)
        .filter(({ file }) => MUST_PASS_WORKFLOWS.includes(file))
        .map(({ context }) => context);
      const derived = requiredChecksFor(branch, repo.workflowsDir);
      return [
        ...(sameList(requiredChecks, mustPass)
          ? []
          : [
              `${stack}: the ${branch} rules require ${list(requiredChecks)}, PRs must pass ${list(mustPass)}`,
            ]),
        ...(sameList(derived, mustPass)
          ? []
          : [
              `${branch}: the workflows make ${list(derived)} required, PRs must pass ${list(mustPass)}`,
            ]),
      ];
    });
  },
};
