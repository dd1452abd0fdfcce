import { describeBreakages, editYaml, workflow } from '../testing/breakages';
import { deploysQueuePerStack } from './deploys-queue-per-stack';

describeBreakages(deploysQueuePerStack, [
  {
    how: 'a new deploy cancels the running one',
    edit: editYaml(workflow('deploy-staging.yml'), (doc) =>
      doc.setIn(['concurrency', 'cancel-in-progress'], true),
    ),
    expected: /deploy-staging\.yml job deploy: cancel-in-progress would cancel a running deploy/,
  },
  {
    how: 'a deploy has no concurrency group',
    edit: editYaml(workflow('deploy-production.yml'), (doc) => doc.delete('concurrency')),
    expected: /deploy-production\.yml job deploy: no concurrency group/,
  },
  {
    how: 'the group is shared by the stacks',
    edit: editYaml(workflow('deploy-production.yml'), (doc) =>
      doc.setIn(['concurrency', 'group'], 'deploy'),
    ),
    expected: /concurrency group 'deploy' does not name stack prod/,
  },
]);
