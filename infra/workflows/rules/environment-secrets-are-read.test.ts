import { describe, expect, it } from 'vitest';
import { loadRepo } from '../repo';
import type { StackFacts } from '../stacks';
import { describeBreakages, editYaml, workflow } from '../testing/breakages';
import { environmentSecretsAreRead } from './environment-secrets-are-read';

const staging = (secrets: Record<string, string[]>): StackFacts => ({
  stack: 'staging',
  branch: 'develop',
  requiredChecks: [],
  deployEnvironment: 'staging',
  deployRefs: { branches: ['develop'], tags: [] },
  secrets,
});

describe(environmentSecretsAreRead.name, () => {
  it('passes the secrets the deploy and the preview jobs read in their environments', () => {
    const stacks = [
      staging({
        staging: ['PULUMI_BACKEND_URL', 'PULUMI_CONFIG_PASSPHRASE', 'REPO_ADMIN_TOKEN'],
        'staging-preview': ['PULUMI_BACKEND_URL', 'PULUMI_CONFIG_PASSPHRASE'],
      }),
    ];
    expect(environmentSecretsAreRead.check(loadRepo(), stacks)).toEqual([]);
  });

  it('fails a secret written to an environment where no job reads it, even if a job elsewhere does', () => {
    const stacks = [
      staging({
        staging: ['PULUMI_BACKEND_URL', 'SUPABASE_DB_PASSWORD'],
        'staging-preview': ['REPO_ADMIN_TOKEN'],
      }),
    ];
    expect(environmentSecretsAreRead.check(loadRepo(), stacks)).toEqual([
      'staging: writes SUPABASE_DB_PASSWORD to environment staging, which no job in it reads',
      'staging: writes REPO_ADMIN_TOKEN to environment staging-preview, which no job in it reads',
    ]);
  });
});

describeBreakages(environmentSecretsAreRead, [
  {
    how: 'the deploy stops reading a secret the stack writes',
    edit: editYaml(workflow('deploy-staging.yml'), (doc) =>
      doc.deleteIn(['jobs', 'deploy', 'steps', 1, 'with', 'github-token']),
    ),
    expected: /staging: writes REPO_ADMIN_TOKEN to environment staging, which no job in it reads/,
  },
]);
