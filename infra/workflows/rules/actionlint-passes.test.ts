import { describeBreakages, editYaml, workflow } from '../testing/breakages';
import { actionlintPasses } from './actionlint-passes';

describeBreakages(actionlintPasses, [
  {
    how: 'an expression reads an unknown context property',
    edit: editYaml(workflow('ci-checks.yml'), (doc) =>
      doc.addIn(['jobs', 'lint', 'steps'], { run: 'echo ${{ github.nope }}' }),
    ),
    expected: /ci-checks\.yml:\d+: .*nope/,
  },
]);
