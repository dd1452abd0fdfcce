import { jobsOf } from '../repo';
import type { WorkflowRule } from '../rules';

export const jobsHaveTimeouts: WorkflowRule = {
  name: 'every job has a timeout',
  check(repo) {
    return jobsOf(repo)
      .filter(({ job }) => job['timeout-minutes'] === undefined)
      .map(({ file, id }) => `${file} job ${id}: no timeout-minutes`);
  },
};
