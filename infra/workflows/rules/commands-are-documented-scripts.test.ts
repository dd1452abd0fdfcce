import { describeBreakages, editText, editYaml, workflow } from '../testing/breakages';
import { commandsAreDocumentedScripts } from './commands-are-documented-scripts';

describeBreakages(commandsAreDocumentedScripts, [
  {
    how: 'a script CI runs is gone from package.json',
    edit: editText('package.json', (text) => text.replace(/\n\s*"test:infra": "[^"]*",/, '')),
    expected: /job infra-tests: npm run test:infra is not in package\.json/,
  },
  {
    how: 'a script CI runs is not in the README',
    edit: editText('README.md', (text) => text.replace(/\n\| `npm run build` .*\|/, '')),
    expected: /job build: npm run build is not in README's Developer commands/,
  },
  {
    how: 'a check runs a command no developer can run by name',
    edit: editYaml(workflow('ci-checks.yml'), (doc) =>
      doc.setIn(['jobs', 'plan', 'steps', 2, 'run'], 'npx tsx infra/plan/cli.ts'),
    ),
    expected: /ci-checks\.yml job plan: runs no npm script/,
  },
]);
