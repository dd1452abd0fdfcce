import { describeBreakages, editYaml, workflow } from '../testing/breakages';
import { requiredChecksAreMustPassJobs } from './required-checks-are-must-pass-jobs';

describeBreakages(requiredChecksAreMustPassJobs, [
  {
    how: 'the preview gains a job every PR could pass',
    edit: editYaml(workflow('preview.yml'), (doc) =>
      doc.setIn(['jobs', 'summary'], { 'runs-on': 'ubuntu-24.04', steps: [{ run: 'true' }] }),
    ),
    expected: /develop: the workflows make \[.*summary.*\] required/,
  },
  {
    how: 'ci-checks loses a job the rules still require',
    edit: editYaml(workflow('ci-checks.yml'), (doc) => doc.deleteIn(['jobs', 'plan'])),
    expected: /staging: the develop rules require \[.*plan.*\], PRs must pass \[(?!.*plan)/,
  },
  {
    how: 'a must-pass job becomes conditional',
    edit: editYaml(workflow('ci-checks.yml'), (doc) =>
      doc.setIn(['jobs', 'lint', 'if'], "github.actor != 'dependabot[bot]'"),
    ),
    expected: /main: the workflows make \[(?![^\]]*lint)[^\]]*\] required, PRs must pass \[.*lint/,
  },
]);
