import { describeBreakages, editYaml, workflow } from '../testing/breakages';
import { jobsHaveTimeouts } from './jobs-have-timeouts';

describeBreakages(jobsHaveTimeouts, [
  {
    how: 'a job has no timeout',
    edit: editYaml(workflow('deploy-production.yml'), (doc) =>
      doc.deleteIn(['jobs', 'deploy', 'timeout-minutes']),
    ),
    expected: /deploy-production\.yml job deploy: no timeout-minutes/,
  },
]);
