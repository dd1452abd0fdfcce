import { describeBreakages, editYaml, workflow } from '../testing/breakages';
import { secretsComeFromTheirEnvironment } from './secrets-come-from-their-environment';

describeBreakages(secretsComeFromTheirEnvironment, [
  {
    how: 'a preview reads a secret its environment does not hold',
    edit: editYaml(workflow('preview.yml'), (doc) =>
      doc.setIn(['jobs', 'preview-staging', 'env', 'HF_TOKEN'], '${{ secrets.HF_TOKEN }}'),
    ),
    expected: /preview-staging: secrets\.HF_TOKEN is not declared for environment staging-preview/,
  },
  {
    how: 'a job without an environment reads a deploy secret',
    edit: editYaml(workflow('ci-checks.yml'), (doc) =>
      doc.setIn(['jobs', 'plan', 'env', 'T'], '${{ secrets.SUPABASE_ACCESS_TOKEN }}'),
    ),
    expected: /job plan: uses secrets\.SUPABASE_ACCESS_TOKEN without an environment/,
  },
  {
    how: 'a deploy runs in an environment no stack declares',
    edit: editYaml(workflow('deploy-staging.yml'), (doc) =>
      doc.setIn(['jobs', 'deploy', 'environment'], 'stage'),
    ),
    expected: /environment stage is declared by no stack/,
  },
  {
    how: 'a workflow hands a secret to every job',
    edit: editYaml(workflow('deploy-production.yml'), (doc) =>
      doc.set('env', { HF_TOKEN: '${{ secrets.HF_TOKEN }}' }),
    ),
    expected: /deploy-production\.yml: workflow env gives secrets\.HF_TOKEN to every job/,
  },
]);
