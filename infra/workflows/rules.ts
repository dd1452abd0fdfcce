import path from 'node:path';
import { runLint } from '../github/actionlint';
import { pullRequestJobs, requiredChecksFor } from '../github/required-checks';
import {
  environmentOf,
  jobsOf,
  triggersOf,
  type Job,
  type Repo,
  type Step,
  type Workflow,
} from './repo';
import { secretsIn } from './secrets-in';
import type { StackFacts } from './stacks';
import { environmentSecretsAreRead } from './rules/environment-secrets-are-read';

/** A rule the workflow files keep, alone or with the stacks; it returns what breaks it. */
export interface WorkflowRule {
  name: string;
  check(repo: Repo, stacks: StackFacts[]): string[] | Promise<string[]>;
}

/** The workflows whose jobs every pull request must pass (contract 1). */
const MUST_PASS_WORKFLOWS = ['ci-checks.yml', 'integration-tests.yml'];
/** The secret GitHub gives every run; any other secret comes from a stack's environment. */
const GITHUB_PROVIDED_SECRETS = ['GITHUB_TOKEN'];
/** The local action that installs the toolchain with the npm and Deno caches. */
const SETUP_ACTION = './.github/actions/setup';

const list = (values: string[]) => `[${values.join(', ')}]`;
const sameList = (a: string[], b: string[]) => list([...a].sort()) === list([...b].sort());
const stepsOf = (repo: Repo) => [
  ...jobsOf(repo).flatMap(({ file, id, job }) =>
    (job.steps ?? []).map((step) => ({ where: `${file} job ${id}`, step })),
  ),
  ...repo.actions.flatMap(({ uses, steps }) => steps.map((step) => ({ where: uses, step }))),
];

export const actionlintPasses: WorkflowRule = {
  name: 'actionlint passes on every workflow',
  async check(repo) {
    const problems: string[] = [];
    // One at a time: the linter's wasm runtime serves a single call.
    for (const { file, text } of repo.workflows) {
      for (const p of await runLint(text, path.join(repo.workflowsDir, file))) {
        problems.push(`${file}:${p.line}: ${p.message}`);
      }
    }
    return problems;
  },
};

export const requiredChecksAreMustPassJobs: WorkflowRule = {
  name: 'contract 1: the required checks of each branch are the jobs every PR to it must pass',
  check(repo, stacks) {
    return stacks.flatMap(({ stack, branch, requiredChecks }) => {
      const mustPass = pullRequestJobs(branch, repo.workflowsDir)
        .filter(({ file }) => MUST_PASS_WORKFLOWS.includes(file))
        .map(({ context }) => context);
      const derived = requiredChecksFor(branch, repo.workflowsDir);
      return [
        ...(sameList(requiredChecks, mustPass)
          ? []
          : [
              `${stack}: the ${branch} rules require ${list(requiredChecks)}, PRs must pass ${list(mustPass)}`,
            ]),
        ...(sameList(derived, mustPass)
          ? []
          : [
              `${branch}: the workflows make ${list(derived)} required, PRs must pass ${list(mustPass)}`,
            ]),
      ];
    });
  },
};

export const secretsComeFromTheirEnvironment: WorkflowRule = {
  name: 'contract 2: every secret a job uses is declared for its environment by the owning stack',
  check(repo, stacks) {
    const declared = new Map(stacks.flatMap(({ secrets }) => Object.entries(secrets)));
    const workflowLevel = repo.workflows.flatMap(({ file, workflow }) =>
      secretsIn(workflow.env).map((s) => `${file}: workflow env gives secrets.${s} to every job`),
    );
    const jobLevel = jobsOf(repo).flatMap(({ file, id, job }) => {
      const environment = environmentOf(job);
      const used = secretsIn(job).filter((s) => !GITHUB_PROVIDED_SECRETS.includes(s));
      if (environment === undefined) {
        return used.map((s) => `${file} job ${id}: uses secrets.${s} without an environment`);
      }
      const inEnvironment = declared.get(environment);
      if (inEnvironment === undefined) {
        return [`${file} job ${id}: environment ${environment} is declared by no stack`];
      }
      return used
        .filter((s) => !inEnvironment.includes(s))
        .map(
          (s) => `${file} job ${id}: secrets.${s} is not declared for environment ${environment}`,
        );
    });
    return [...workflowLevel, ...jobLevel];
  },
};

// Pins, permissions, injection from event text and dangerous triggers are zizmor's to check
// (`npm run lint:workflows`, configured in .github/zizmor.yml); the rules here are ours alone.
export const jobsHaveTimeouts: WorkflowRule = {
  name: 'every job has a timeout',
  check(repo) {
    return jobsOf(repo)
      .filter(({ job }) => job['timeout-minutes'] === undefined)
      .map(({ file, id }) => `${file} job ${id}: no timeout-minutes`);
  },
};

const concurrencyOf = (job: Job, workflow: Workflow) => {
  const concurrency = job.concurrency ?? workflow.concurrency;
  return typeof concurrency === 'string'
    ? { group: concurrency }
    : (concurrency as { group?: string; 'cancel-in-progress'?: unknown } | undefined);
};

export const deploysQueuePerStack: WorkflowRule = {
  name: 'every deploy runs in a per-stack concurrency group that never cancels a deploy',
  check(repo, stacks) {
    return jobsOf(repo).flatMap(({ file, id, job, workflow }) => {
      const owner = stacks.find((s) => s.deployEnvironment === environmentOf(job));
      if (owner === undefined) return [];
      const concurrency = concurrencyOf(job, workflow);
      if (concurrency?.group === undefined) return [`${file} job ${id}: no concurrency group`];
      return [
        ...(concurrency.group.includes(owner.stack)
          ? []
          : [
              `${file} job ${id}: concurrency group '${concurrency.group}' does not name stack ${owner.stack}`,
            ]),
        ...(concurrency['cancel-in-progress'] === undefined ||
        concurrency['cancel-in-progress'] === false
          ? []
          : [`${file} job ${id}: cancel-in-progress would cancel a running deploy`]),
      ];
    });
  },
};

export const deployTriggersMatchStacks: WorkflowRule = {
  name: 'the trigger map is exactly what each stack deploys from (develop -> staging, v* -> prod)',
  check(repo, stacks) {
    return stacks.flatMap(({ stack, deployEnvironment, deployRefs }) => {
      const deployers = repo.workflows.filter(({ workflow }) =>
        Object.values(workflow.jobs ?? {}).some((job) => environmentOf(job) === deployEnvironment),
      );
      if (deployers.length !== 1) {
        return [
          `${stack}: ${deployers.length} workflows deploy to ${deployEnvironment}, expected 1`,
        ];
      }
      const [{ file, workflow }] = deployers as [(typeof deployers)[number]];
      const triggers = triggersOf(workflow.on);
      const push = triggers.push ?? {};
      const refs = (key: string) => (push[key] as string[] | undefined) ?? [];
      return [
        ...Object.keys(triggers)
          .filter((event) => event !== 'push' && event !== 'workflow_dispatch')
          .map(
            (event) => `${file}: deploys ${stack} on ${event}; only push and manual dispatch may`,
          ),
        ...Object.keys(push)
          .filter((key) => key !== 'branches' && key !== 'tags')
          .map((key) => `${file}: push filter '${key}' is not a ref of stack ${stack}`),
        ...(sameList(refs('branches'), deployRefs.branches) &&
        sameList(refs('tags'), deployRefs.tags)
          ? []
          : [
              `${file}: deploys ${stack} on branches ${list(refs('branches'))} and tags ${list(refs('tags'))}; ` +
                `the stack deploys from branches ${list(deployRefs.branches)} and tags ${list(deployRefs.tags)}`,
            ]),
      ];
    });
  },
};

const developerCommands = (readme: string) =>
  /## Developer commands\n([\s\S]*?)(?=\n## |$)/.exec(readme)?.[1] ?? '';

export const commandsAreDocumentedScripts: WorkflowRule = {
  name: 'the commands CI runs are npm scripts the README documents',
  check(repo) {
    const documented = developerCommands(repo.readme);
    const scriptsRun = stepsOf(repo).flatMap(({ where, step }) =>
      [...(step.run ?? '').matchAll(/\bnpm run (?:--silent )?([\w:.-]+)/g)].map((m) => ({
        where,
        script: m[1] as string,
      })),
    );
    const mustPassWithoutScript = jobsOf(repo)
      .filter(({ file }) => MUST_PASS_WORKFLOWS.includes(file))
      .filter(({ job }) => !(job.steps ?? []).some((step) => /\bnpm run /.test(step.run ?? '')))
      .map(({ file, id }) => `${file} job ${id}: runs no npm script, so it cannot be run locally`);
    return [
      ...scriptsRun.flatMap(({ where, script }) => [
        ...(script in repo.scripts ? [] : [`${where}: npm run ${script} is not in package.json`]),
        ...(documented.includes(`\`npm run ${script}`)
          ? []
          : [`${where}: npm run ${script} is not in README's Developer commands`]),
      ]),
      ...mustPassWithoutScript,
    ];
  },
};

export const toolchainComesWithCaches: WorkflowRule = {
  name: 'every job that runs npm or deno gets them from the setup action, with npm and Deno caches',
  check(repo) {
    const setup = repo.actions.find((a) => a.uses === SETUP_ACTION);
    if (setup === undefined) return [`${SETUP_ACTION} is missing`];
    const provides = (step: Step): boolean =>
      step.uses === SETUP_ACTION ||
      (repo.actions.find((a) => a.uses === step.uses)?.steps.some(provides) ?? false);
    const caches = [
      ...(setup.steps.some(
        (s) => s.uses?.startsWith('actions/setup-node@') && s.with?.cache === 'npm',
      )
        ? []
        : [`${SETUP_ACTION}: setup-node has no npm cache`]),
      ...(setup.steps.some(
        (s) => s.uses?.startsWith('actions/cache@') && /deno/.test(String(s.with?.path)),
      )
        ? []
        : [`${SETUP_ACTION}: no Deno cache`]),
    ];
    const installsElsewhere = stepsOf(repo)
      .filter(
        ({ where, step }) => where !== SETUP_ACTION && /\bnpm (ci|install)\b/.test(step.run ?? ''),
      )
      .map(({ where }) => `${where}: installs npm packages itself, without the setup action`);
    const withoutToolchain = jobsOf(repo)
      .filter(({ job }) => (job.steps ?? []).some((s) => /\b(npm|npx|deno)\b/.test(s.run ?? '')))
      .filter(({ job }) => !(job.steps ?? []).some(provides))
      .map(({ file, id }) => `${file} job ${id}: runs npm or deno without ${SETUP_ACTION}`);
    return [...caches, ...installsElsewhere, ...withoutToolchain];
  },
};

export const pulumiCliMatchesSdk: WorkflowRule = {
  name: 'the Pulumi CLI the runners install is the version of the SDK the program uses',
  check(repo) {
    const installs = stepsOf(repo).filter(({ step }) => step.uses?.startsWith('pulumi/actions@'));
    if (installs.length === 0) return ['no step installs the Pulumi CLI'];
    return installs
      .filter(({ step }) => step.with?.['pulumi-version'] !== repo.pulumiSdkVersion)
      .map(
        ({ where, step }) =>
          `${where}: installs Pulumi ${String(step.with?.['pulumi-version'])}, the program uses @pulumi/pulumi ${repo.pulumiSdkVersion}`,
      );
  },
};

export const workflowRules: WorkflowRule[] = [
  actionlintPasses,
  requiredChecksAreMustPassJobs,
  secretsComeFromTheirEnvironment,
  jobsHaveTimeouts,
  deploysQueuePerStack,
  deployTriggersMatchStacks,
  commandsAreDocumentedScripts,
  toolchainComesWithCaches,
  pulumiCliMatchesSdk,
  environmentSecretsAreRead,
];
