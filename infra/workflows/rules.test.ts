import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { STACKS } from '../config';
import { repoRoot } from '../paths';
import { planStacks } from '../plan/plan';
import { loadRepo } from './repo';
import {
  actionlintPasses,
  commandsAreDocumentedScripts,
  deploysQueuePerStack,
  deployTriggersMatchStacks,
  jobsHaveTimeouts,
  pulumiCliMatchesSdk,
  requiredChecksAreMustPassJobs,
  secretsComeFromTheirEnvironment,
  toolchainComesWithCaches,
  workflowRules,
  type WorkflowRule,
} from './rules';
import { environmentSecretsAreRead } from './rules/environment-secrets-are-read';
import { stackFacts, type StackFacts } from './stacks';

/** A temporary copy of what the rules read, to break on purpose. */
function copyRepo(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'workflow-rules-'));
  for (const entry of ['.github', 'package.json', 'README.md', 'infra/package.json']) {
    cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  }
  return root;
}

const editText = (file: string, edit: (text: string) => string) => (root: string) => {
  const target = path.join(root, file);
  const before = readFileSync(target, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(target, after);
};

const editYaml = (file: string, edit: (doc: ReturnType<typeof parseDocument>) => void) =>
  editText(file, (text) => {
    const doc = parseDocument(text);
    edit(doc);
    return doc.toString();
  });

const workflow = (name: string) => `.github/workflows/${name}`;

interface Breakage {
  rule: WorkflowRule;
  how: string;
  edit: (root: string) => void;
  expected: RegExp;
}

const breakages: Breakage[] = [
  {
    rule: actionlintPasses,
    how: 'an expression reads an unknown context property',
    edit: editYaml(workflow('ci-checks.yml'), (doc) =>
      doc.addIn(['jobs', 'lint', 'steps'], { run: 'echo ${{ github.nope }}' }),
    ),
    expected: /ci-checks\.yml:\d+: .*nope/,
  },
  {
    rule: requiredChecksAreMustPassJobs,
    how: 'the preview gains a job every PR could pass',
    edit: editYaml(workflow('preview.yml'), (doc) =>
      doc.setIn(['jobs', 'summary'], { 'runs-on': 'ubuntu-24.04', steps: [{ run: 'true' }] }),
    ),
    expected: /develop: the workflows make \[.*summary.*\] required/,
  },
  {
    rule: requiredChecksAreMustPassJobs,
    how: 'ci-checks loses a job the rules still require',
    edit: editYaml(workflow('ci-checks.yml'), (doc) => doc.deleteIn(['jobs', 'plan'])),
    expected: /staging: the develop rules require \[.*plan.*\], PRs must pass \[(?!.*plan)/,
  },
  {
    rule: requiredChecksAreMustPassJobs,
    how: 'a must-pass job becomes conditional',
    edit: editYaml(workflow('ci-checks.yml'), (doc) =>
      doc.setIn(['jobs', 'lint', 'if'], "github.actor != 'dependabot[bot]'"),
    ),
    expected: /main: the workflows make \[(?![^\]]*lint)[^\]]*\] required, PRs must pass \[.*lint/,
  },
  {
    rule: secretsComeFromTheirEnvironment,
    how: 'a preview reads a secret its environment does not hold',
    edit: editYaml(workflow('preview.yml'), (doc) =>
      doc.setIn(['jobs', 'preview-staging', 'env', 'HF_TOKEN'], '${{ secrets.HF_TOKEN }}'),
    ),
    expected: /preview-staging: secrets\.HF_TOKEN is not declared for environment staging-preview/,
  },
  {
    rule: secretsComeFromTheirEnvironment,
    how: 'a job without an environment reads a deploy secret',
    edit: editYaml(workflow('ci-checks.yml'), (doc) =>
      doc.setIn(['jobs', 'plan', 'env', 'T'], '${{ secrets.SUPABASE_ACCESS_TOKEN }}'),
    ),
    expected: /job plan: uses secrets\.SUPABASE_ACCESS_TOKEN without an environment/,
  },
  {
    rule: secretsComeFromTheirEnvironment,
    how: 'a deploy runs in an environment no stack declares',
    edit: editYaml(workflow('deploy-staging.yml'), (doc) =>
      doc.setIn(['jobs', 'deploy', 'environment'], 'stage'),
    ),
    expected: /environment stage is declared by no stack/,
  },
  {
    rule: secretsComeFromTheirEnvironment,
    how: 'a workflow hands a secret to every job',
    edit: editYaml(workflow('deploy-production.yml'), (doc) =>
      doc.set('env', { HF_TOKEN: '${{ secrets.HF_TOKEN }}' }),
    ),
    expected: /deploy-production\.yml: workflow env gives secrets\.HF_TOKEN to every job/,
  },
  {
    rule: jobsHaveTimeouts,
    how: 'a job has no timeout',
    edit: editYaml(workflow('deploy-production.yml'), (doc) =>
      doc.deleteIn(['jobs', 'deploy', 'timeout-minutes']),
    ),
    expected: /deploy-production\.yml job deploy: no timeout-minutes/,
  },
  {
    rule: deploysQueuePerStack,
    how: 'a new deploy cancels the running one',
    edit: editYaml(workflow('deploy-staging.yml'), (doc) =>
      doc.setIn(['concurrency', 'cancel-in-progress'], true),
    ),
    expected: /deploy-staging\.yml job deploy: cancel-in-progress would cancel a running deploy/,
  },
  {
    rule: deploysQueuePerStack,
    how: 'a deploy has no concurrency group',
    edit: editYaml(workflow('deploy-production.yml'), (doc) => doc.delete('concurrency')),
    expected: /deploy-production\.yml job deploy: no concurrency group/,
  },
  {
    rule: deploysQueuePerStack,
    how: 'the group is shared by the stacks',
    edit: editYaml(workflow('deploy-production.yml'), (doc) =>
      doc.setIn(['concurrency', 'group'], 'deploy'),
    ),
    expected: /concurrency group 'deploy' does not name stack prod/,
  },
  {
    rule: deployTriggersMatchStacks,
    how: 'staging deploys from main',
    edit: editYaml(workflow('deploy-staging.yml'), (doc) =>
      doc.setIn(['on', 'push', 'branches'], ['main']),
    ),
    expected: /deploys staging on branches \[main\] .*the stack deploys from branches \[develop\]/,
  },
  {
    rule: deployTriggersMatchStacks,
    how: 'prod deploys on pull requests',
    edit: editYaml(workflow('deploy-production.yml'), (doc) =>
      doc.setIn(['on', 'pull_request'], null),
    ),
    expected: /deploy-production\.yml: deploys prod on pull_request/,
  },
  {
    rule: deployTriggersMatchStacks,
    how: 'two workflows deploy prod',
    edit: editYaml(workflow('deploy-staging.yml'), (doc) =>
      doc.setIn(['jobs', 'deploy', 'environment'], 'production'),
    ),
    expected: /prod: 2 workflows deploy to production, expected 1/,
  },
  {
    rule: commandsAreDocumentedScripts,
    how: 'a script CI runs is gone from package.json',
    edit: editText('package.json', (text) => text.replace(/\n\s*"test:infra": "[^"]*",/, '')),
    expected: /job infra-tests: npm run test:infra is not in package\.json/,
  },
  {
    rule: commandsAreDocumentedScripts,
    how: 'a script CI runs is not in the README',
    edit: editText('README.md', (text) => text.replace(/\n\| `npm run build` .*\|/, '')),
    expected: /job build: npm run build is not in README's Developer commands/,
  },
  {
    rule: commandsAreDocumentedScripts,
    how: 'a check runs a command no developer can run by name',
    edit: editYaml(workflow('ci-checks.yml'), (doc) =>
      doc.setIn(['jobs', 'plan', 'steps', 2, 'run'], 'npx tsx infra/plan/cli.ts'),
    ),
    expected: /ci-checks\.yml job plan: runs no npm script/,
  },
  {
    rule: toolchainComesWithCaches,
    how: 'the setup action loses the npm cache',
    edit: editYaml('.github/actions/setup/action.yml', (doc) =>
      doc.deleteIn(['runs', 'steps', 0, 'with', 'cache']),
    ),
    expected: /setup-node has no npm cache/,
  },
  {
    rule: toolchainComesWithCaches,
    how: 'a job installs npm packages itself',
    edit: editYaml(workflow('ci-checks.yml'), (doc) =>
      doc.setIn(['jobs', 'lint', 'steps', 1], { run: 'npm ci' }),
    ),
    expected:
      /ci-checks\.yml job lint: installs npm packages itself[\s\S]*job lint: runs npm or deno without/,
  },
  {
    rule: pulumiCliMatchesSdk,
    how: 'the SDK moves on without the CLI',
    edit: editText('infra/package.json', (text) =>
      text.replace(/"@pulumi\/pulumi": "[^"]+"/, '"@pulumi/pulumi": "3.999.0"'),
    ),
    expected:
      /\.\/\.github\/actions\/pulumi: installs Pulumi 3\.248\.0, the program uses @pulumi\/pulumi 3\.999\.0/,
  },
  {
    rule: environmentSecretsAreRead,
    how: 'the deploy stops reading a secret the stack writes',
    edit: editYaml(workflow('deploy-staging.yml'), (doc) =>
      doc.deleteIn(['jobs', 'deploy', 'steps', 1, 'with', 'github-token']),
    ),
    expected: /staging: writes REPO_ADMIN_TOKEN to environment staging, which no job in it reads/,
  },
];

describe('the workflows and the stacks', () => {
  let stacks: StackFacts[];
  beforeAll(async () => {
    stacks = (await planStacks(STACKS)).map(stackFacts);
  });

  it('read from the plan: develop -> staging, main and v* -> prod, and their environments', () => {
    expect(
      stacks.map(({ stack, branch, deployEnvironment, deployRefs, secrets }) => ({
        stack,
        branch,
        deployEnvironment,
        deployRefs,
        environments: Object.keys(secrets).sort(),
      })),
    ).toEqual([
      {
        stack: 'staging',
        branch: 'develop',
        deployEnvironment: 'staging',
        deployRefs: { branches: ['develop'], tags: [] },
        environments: ['staging', 'staging-preview'],
      },
      {
        stack: 'prod',
        branch: 'main',
        deployEnvironment: 'production',
        deployRefs: { branches: [], tags: ['v*'] },
        environments: ['production', 'production-preview'],
      },
    ]);
  });

  it('require integration only on develop, where it runs, and never a preview job', () => {
    const [staging, prod] = stacks as [StackFacts, StackFacts];
    expect(staging.requiredChecks).toContain('integration');
    expect(prod.requiredChecks).not.toContain('integration');
    for (const { requiredChecks } of stacks) {
      expect(requiredChecks).toContain('lint');
      expect(requiredChecks.filter((c) => /preview|offline plan/.test(c))).toEqual([]);
    }
  });

  it.each(workflowRules.map((rule) => [rule.name, rule] as const))('%s', async (_, rule) => {
    expect(await rule.check(loadRepo(), stacks)).toEqual([]);
  });

  it('break each rule on purpose, once per rule at least', () => {
    expect(new Set(breakages.map((b) => b.rule))).toEqual(new Set(workflowRules));
  });

  it.each(breakages.map((b) => [b.rule.name, b.how, b] as const))(
    'broken: %s, when %s',
    async (_, __, { rule, edit, expected }) => {
      const root = copyRepo();
      expect(await rule.check(loadRepo(root), stacks)).toEqual([]);
      edit(root);
      expect((await rule.check(loadRepo(root), stacks)).join('\n')).toMatch(expected);
    },
  );
});
