import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { secretKeys } from '../config';
import { repoRoot } from '../paths';
import { stableJson } from './cli';
import { comparePlans } from './compare';
import { planStack, planStacks } from './plan';
import { renderComparison } from './render';
import { planConfig, type PlannedResource, type StackPlan } from './run-stack';

const RULESET = 'github:index/repositoryRuleset:RepositoryRuleset';
const ENVIRONMENT = 'github:index/repositoryEnvironment:RepositoryEnvironment';
const DEPLOY_POLICY =
  'github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy';
const ENV_SECRET = 'github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret';

const sentinel = (key: string) => `SENTINEL-${key}-c0ffee`;
const ofType = (plan: StackPlan, type: string) => plan.resources.filter((r) => r.type === type);
const input = (r: PlannedResource, key: string) => r.inputs[key];

function runPlanCli(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'infra/plan/cli.ts'), ...args],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The physical things a resource claims in the shared repository. */
function physicalIdentity(r: PlannedResource): string[] {
  const repo = input(r, 'repository');
  const env = input(r, 'environment');
  switch (r.type) {
    case RULESET: {
      const refs = (r.inputs.conditions as { refName: { includes: string[] } }).refName.includes;
      return [
        `${repo} ruleset named ${String(input(r, 'name'))}`,
        ...refs.map((ref) => `${repo} rules for ${ref}`),
      ];
    }
    case ENVIRONMENT:
      return [`${repo} environment ${env}`];
    case DEPLOY_POLICY:
      return [
        `${repo} environment ${env} deploys from ${input(r, 'branchPattern') ?? input(r, 'tagPattern')}`,
      ];
    case ENV_SECRET:
      return [`${repo} environment ${env} secret ${input(r, 'secretName')}`];
    default:
      return [];
  }
}

// The release version otherwise follows the checkout's commits; the snapshots need one.
process.env.EXTENSION_VERSION = '1.2.3';

describe('the offline plan of both stacks', () => {
  let staging: StackPlan;
  let prod: StackPlan;
  beforeAll(async () => {
    [staging, prod] = (await planStacks(['staging', 'prod'])) as [StackPlan, StackPlan];
  }, 180_000);

  it('staging declares the develop rules and the staging environment, nothing of prod', () => {
    expect(ofType(staging, RULESET).map((r) => r.inputs.conditions)).toEqual([
      { refName: { includes: ['refs/heads/develop'], excludes: [] } },
    ]);
    expect(ofType(staging, ENVIRONMENT).map((r) => input(r, 'environment'))).toEqual([
      'staging',
      'staging-preview',
      'staging-drift',
      'staging-health',
    ]);
    expect(ofType(staging, DEPLOY_POLICY).map((r) => r.inputs)).toEqual([
      { branchPattern: 'develop', environment: 'staging', repository: 'read-aloud' },
      { branchPattern: 'develop', environment: 'staging-drift', repository: 'read-aloud' },
      { branchPattern: 'develop', environment: 'staging-health', repository: 'read-aloud' },
    ]);
  });

  it('prod declares main, the v* tags, a reviewed production environment deployed from tags only, and the release environment on main', () => {
    expect(ofType(prod, RULESET).map((r) => [r.inputs.target, r.inputs.conditions])).toEqual([
      ['branch', { refName: { includes: ['refs/heads/main'], excludes: [] } }],
      ['tag', { refName: { includes: ['refs/tags/v*'], excludes: [] } }],
    ]);
    const [environment, previewEnvironment] = ofType(prod, ENVIRONMENT);
    const releaseEnvironment = ofType(prod, ENVIRONMENT).find(
      (r) => input(r, 'environment') === 'release',
    );
    expect(releaseEnvironment?.inputs).toEqual({
      environment: 'release',
      repository: 'read-aloud',
      deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false },
    });
    expect(environment?.inputs).toMatchObject({
      environment: 'production',
      reviewers: [{ users: [1000001], teams: [] }],
      preventSelfReview: true,
      deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false },
    });
    expect(previewEnvironment?.inputs).toEqual({
      environment: 'production-preview',
      repository: 'read-aloud',
      reviewers: [{ users: [1000001], teams: [] }],
      preventSelfReview: true,
    });
    expect(ofType(prod, DEPLOY_POLICY).map((r) => r.inputs)).toEqual([
      { environment: 'production', repository: 'read-aloud', tagPattern: 'v*' },
      { branchPattern: 'develop', environment: 'production-drift', repository: 'read-aloud' },
      { branchPattern: 'develop', environment: 'production-health', repository: 'read-aloud' },
      { environment: 'release', repository: 'read-aloud', branchPattern: 'main' },
    ]);
  });

  it('gives the scheduled drift and health checks environments of their own: default branch only, no reviewers, only what each reads', () => {
    for (const [plan, environment] of [
      [staging, 'staging'],
      [prod, 'production'],
    ] as const) {
      const scheduled = ofType(plan, ENVIRONMENT).filter((r) =>
        /-(drift|health)$/.test(String(input(r, 'environment'))),
      );
      for (const env of scheduled) {
        expect(env.inputs).toEqual({
          environment: input(env, 'environment'),
          repository: 'read-aloud',
          deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false },
        });
      }
      const secretsIn = (name: string) =>
        ofType(plan, ENV_SECRET)
          .filter((s) => input(s, 'environment') === name)
          .map((s) => input(s, 'secretName'))
          .sort();
      expect(secretsIn(`${environment}-drift`)).toEqual([
        'HF_TOKEN',
        'PULUMI_BACKEND_URL',
        'PULUMI_CONFIG_PASSPHRASE',
        'REPO_ADMIN_TOKEN',
        'SUPABASE_ACCESS_TOKEN',
        'SUPABASE_DB_PASSWORD',
      ]);
      expect(secretsIn(`${environment}-health`)).toEqual([
        'HF_TOKEN',
        'STRIPE_API_KEY',
        'SUPABASE_DB_PASSWORD',
      ]);
    }
  });

  it('never lets the two stacks declare the same physical thing', () => {
    const claims = (plan: StackPlan) => plan.resources.flatMap(physicalIdentity);
    const stagingClaims = new Set(claims(staging));
    expect(stagingClaims.size).toBeGreaterThan(10);
    expect(claims(prod).filter((claim) => stagingClaims.has(claim))).toEqual([]);
  });

  it('writes what the deploy reads to its environment, only the state ones to the preview, the release token to prod’s release environment, as Pulumi secrets', () => {
    for (const plan of [staging, prod]) {
      const secrets = ofType(plan, ENV_SECRET);
      const [deployEnvironment, previewEnvironment] = ofType(plan, ENVIRONMENT).map((r) =>
        input(r, 'environment'),
      );
      const names = (environment: unknown) =>
        secrets
          .filter((s) => input(s, 'environment') === environment)
          .map((s) => input(s, 'secretName'))
          .sort();
      // What the deploy and its smoke test read; prod's rollback also compares migrations.
      expect(names(deployEnvironment)).toEqual(
        [
          'HF_TOKEN',
          'PULUMI_BACKEND_URL',
          'PULUMI_CONFIG_PASSPHRASE',
          'REPO_ADMIN_TOKEN',
          'SMOKE_USER_EMAIL',
          'SMOKE_USER_PASSWORD',
          'SUPABASE_ACCESS_TOKEN',
          ...(plan === prod ? ['SUPABASE_DB_PASSWORD'] : []),
        ].sort(),
      );
      expect(names(previewEnvironment)).toEqual(['PULUMI_BACKEND_URL', 'PULUMI_CONFIG_PASSPHRASE']);
      expect(names('release')).toEqual(plan === prod ? ['RELEASE_TOKEN'] : []);
      for (const secret of secrets) {
        expect(secret.secretPaths).toEqual(['value']);
        expect(secret.inputs.value).toBe('[secret]');
      }
    }
  });

  it('protects every prod resource but the commands, which a trigger replaces, and passes every policy', () => {
    const command = (r: StackPlan['resources'][number]) => r.type === 'command:local:Command';
    expect(
      prod.resources.filter(
        (r) => r.custom && !r.type.startsWith('pulumi:providers:') && !command(r) && !r.protect,
      ),
    ).toEqual([]);
    expect(prod.resources.filter(command).map((r) => [r.name, r.protect])).toEqual(
      prod.resources.filter(command).map((r) => [r.name, false]),
    );
    expect(prod.resources.filter(command).length).toBeGreaterThan(3);
    expect([...staging.violations, ...prod.violations]).toEqual([]);
  });

  it('lists each unset secret with the command that sets it', () => {
    expect(staging.missingSecrets.map((s) => s.command)).toContain(
      'pulumi config set --secret read-aloud:hfToken --stack staging',
    );
    expect(prod.missingSecrets).toHaveLength(secretKeys.length);
  });

  it('matches the committed plan snapshots', async () => {
    // Content hashes change with every source edit; the snapshots are about what config declares.
    const withoutHashes = (plan: StackPlan) =>
      stableJson(plan)
        .replace(/[0-9a-f]{64}/g, '<sha256>')
        .replace(/(kokoro-handler:)[0-9a-f]{16}/g, '$1<hash>');
    await expect(withoutHashes(staging)).toMatchFileSnapshot('__snapshots__/staging.plan.json');
    await expect(withoutHashes(prod)).toMatchFileSnapshot('__snapshots__/prod.plan.json');
  });

  // A third plan in a fresh process: more than the default timeout on a loaded machine.
  it('shows a config change as a readable diff', { timeout: 180_000 }, async () => {
    const changed = await planStack('staging', { overrides: { requiredApprovals: '3' } });
    const diff = renderComparison('staging', 'staging+change', comparePlans(staging, changed));
    expect(diff).toBe(
      [
        'Compare staging -> staging+change: 1 resources differ',
        `  ~ ${RULESET}::branch-rules`,
        '      rules.pullRequest.requiredApprovingReviewCount: 1 -> 3',
      ].join('\n'),
    );
  });
});

// Each case starts the CLI, which loads the whole program: minutes on a loaded machine.
describe('npm run plan', { timeout: 180_000 }, () => {
  it('never prints or writes a secret value it was given', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'plan-'));
    const secretsFile = path.join(dir, 'secrets.yaml');
    writeFileSync(
      secretsFile,
      stringify(Object.fromEntries(secretKeys.map((k) => [k, sentinel(k)]))),
    );
    const jsonFile = path.join(dir, 'plan.json');
    const run = runPlanCli('--secrets-file', secretsFile, '--json', jsonFile, '--compare');
    expect(run.code).toBe(0);
    const everything = run.stdout + run.stderr + readFileSync(jsonFile, 'utf8');
    expect(everything).toContain('[secret]');
    expect(everything).not.toContain('SENTINEL');
    expect(run.stdout).not.toContain('Secrets still to set');
  });

  it('fails with exit 2 naming the key, the stack file and a valid example', () => {
    const run = runPlanCli('--stack', 'staging', '--config', 'requiredApprovals=two');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Invalid config for stack 'staging' (stacks/Pulumi.staging.yaml)");
    expect(run.stderr).toContain('read-aloud:requiredApprovals is invalid');
    expect(run.stderr).toContain('Example: `read-aloud:requiredApprovals: 1`');
  });

  it('fails with exit 2 on an unknown stack', () => {
    const run = runPlanCli('--stack', 'qa');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown stack 'qa'");
  });

  it('refuses a secret passed with --config, saying how to give it for each stack in order', () => {
    for (const [stackArgs, stacks] of [
      [[], ['staging', 'prod']],
      [
        ['--stack', 'prod', '--stack', 'staging'],
        ['prod', 'staging'],
      ],
    ] as const) {
      const run = runPlanCli(...stackArgs, '--config', `hfToken=${sentinel('x')}`);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        'read-aloud:hfToken is a secret, and --config takes only settings',
      );
      expect(run.stderr).toContain('give it in --secrets-file FILE for this run');
      expect(run.stderr).toContain(
        stacks
          .map((stack) => `\`pulumi config set --secret read-aloud:hfToken --stack ${stack}\``)
          .join(' and '),
      );
      expect(run.stderr).not.toContain('plain text');
      expect(run.stderr).not.toContain('SENTINEL');
    }
  });

  it('refuses a malformed secrets file with exit 2, naming file, line and key, never a value', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'plan-'));
    const secretsFile = path.join(dir, 'secrets.yaml');
    writeFileSync(
      secretsFile,
      `hfToken: ${sentinel('a')}
hfToken: ${sentinel('b')}
`,
    );
    const jsonFile = path.join(dir, 'plan.json');
    const run = runPlanCli('--secrets-file', secretsFile, '--json', jsonFile);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${secretsFile}:2 read-aloud:hfToken: duplicate key`);
    expect(run.stdout + run.stderr).not.toContain('SENTINEL');
    expect(existsSync(jsonFile)).toBe(false);
  });

  it('refuses a missing secrets file with exit 2', () => {
    const run = runPlanCli('--secrets-file', path.join(tmpdir(), 'no-such-secrets.yaml'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no-such-secrets.yaml cannot be read (ENOENT)');
  });

  it('refuses a secret among the overrides a caller passes to the planner, with the same advice', () => {
    expect(() => planConfig('prod', { overrides: { hfToken: sentinel('x') } })).toThrow(
      /read-aloud:hfToken is a secret, and --config takes only settings.*--stack prod`$/s,
    );
  });

  it("reports every failing stack's problem, in the order the stacks were given", () => {
    const run = runPlanCli('--stack', 'staging', '--stack', 'qa', '--config', 'protect=maybe');
    expect(run.code).toBe(2);
    const staging = run.stderr.indexOf("Invalid config for stack 'staging'");
    expect(staging).toBeGreaterThanOrEqual(0);
    expect(run.stderr.indexOf("Unknown stack 'qa'")).toBeGreaterThan(staging);
  });

  it('fails with exit 3 when a policy is violated', () => {
    const run = runPlanCli('--stack', 'prod', '--config', 'protect=false');
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/\[prod-resources-protected\] .*branch-rules: .* is not protected/);
  });
});
