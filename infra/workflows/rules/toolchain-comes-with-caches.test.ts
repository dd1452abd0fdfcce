import { describeBreakages, editYaml, workflow } from '../testing/breakages';
import { toolchainComesWithCaches } from './toolchain-comes-with-caches';

describeBreakages(toolchainComesWithCaches, [
  {
    how: 'the setup action loses the npm cache',
    edit: editYaml('.github/actions/setup/action.yml', (doc) =>
      doc.deleteIn(['runs', 'steps', 0, 'with', 'cache']),
    ),
    expected: /setup-node has no npm cache/,
  },
  {
    how: 'a job installs npm packages itself',
    edit: editYaml(workflow('ci-checks.yml'), (doc) =>
      doc.setIn(['jobs', 'lint', 'steps', 1], { run: 'npm ci' }),
    ),
    expected:
      /ci-checks\.yml job lint: installs npm packages itself[\s\S]*job lint: runs npm or deno without/,
  },
]);
