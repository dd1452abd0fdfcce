import { describeBreakages, editYaml, workflow } from '../testing/breakages';
import { deployTriggersMatchStacks } from './deploy-triggers-match-stacks';

describeBreakages(deployTriggersMatchStacks, [
  {
    how: 'staging deploys from main',
    edit: editYaml(workflow('deploy-staging.yml'), (doc) =>
      doc.setIn(['on', 'push', 'branches'], ['main']),
    ),
    expected: /deploys staging on branches \[main\] .*the stack deploys from branches \[develop\]/,
  },
  {
    how: 'prod deploys on pull requests',
    edit: editYaml(workflow('deploy-production.yml'), (doc) =>
      doc.setIn(['on', 'pull_request'], null),
    ),
    expected: /deploy-production\.yml: deploys prod on pull_request/,
  },
  {
    how: 'two workflows deploy prod',
    edit: editYaml(workflow('deploy-staging.yml'), (doc) =>
      doc.setIn(['jobs', 'deploy', 'environment'], 'production'),
    ),
    expected: /prod: 2 workflows deploy to production, expected 1/,
  },
]);
