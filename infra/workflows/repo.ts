import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';

// js-yaml: the Pulumi SDK loads it already, and it reads the workflows in a fraction of the time.
const parse = (text: string) => load(text, { schema: CORE_SCHEMA });
import { repoRoot } from '../paths';

export interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Job {
  name?: string;
  environment?: string | { name: string };
  steps?: Step[];
  [key: string]: unknown;
}

export interface Workflow {
  on?: unknown;
  env?: unknown;
  permissions?: unknown;
  concurrency?: unknown;
  jobs?: Record<string, Job>;
}

export interface WorkflowFile {
  file: string;
  text: string;
  workflow: Workflow;
}

/** A local composite action, keyed by how a step refers to it (`./.github/actions/NAME`). */
export interface ActionFile {
  uses: string;
  text: string;
  steps: Step[];
}

/** What the workflow rules read: the workflows, their local actions, and the npm scripts. */
export interface Repo {
  workflowsDir: string;
  workflows: WorkflowFile[];
  actions: ActionFile[];
  scripts: Record<string, string>;
  readme: string;
  /** The @pulumi/pulumi version the program is built with. */
  pulumiSdkVersion: string;
  /** Every vitest file (`*.test.ts`) from the root, outside dependencies and the Deno functions. */
  testFiles: string[];
}

export function readWorkflows(dir: string): WorkflowFile[] {
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      return { file, text, workflow: parse(text) as Workflow };
    });
}

function readActions(root: string): ActionFile[] {
  const dir = path.join(root, '.github', 'actions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const text = readFileSync(path.join(dir, name, 'action.yml'), 'utf8');
      const action = parse(text) as { runs?: { steps?: Step[] } };
      return { uses: `./.github/actions/${name}`, text, steps: action.runs?.steps ?? [] };
    });
}

// Deno runs the edge functions' tests; dot folders hold caches and git.
const SKIPPED_DIRS = ['node_modules', path.join('supabase', 'functions')];

function findTestFiles(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        return entry.name.startsWith('.') ||
          SKIPPED_DIRS.includes(entry.name) ||
          SKIPPED_DIRS.includes(relative)
          ? []
          : findTestFiles(root, relative);
      }
      return entry.name.endsWith('.test.ts') ? [relative] : [];
    });
}

export function loadRepo(root = repoRoot): Repo {
  const workflowsDir = path.join(root, '.github', 'workflows');
  const readJson = (file: string) =>
    JSON.parse(readFileSync(path.join(root, file), 'utf8')) as {
      scripts?: Record<string, string>;
      dependencies?: Record<string, string>;
    };
  const pkg = readJson('package.json');
  return {
    workflowsDir,
    workflows: readWorkflows(workflowsDir),
    actions: readActions(root),
    scripts: pkg.scripts ?? {},
    readme: readFileSync(path.join(root, 'README.md'), 'utf8'),
    pulumiSdkVersion: readJson('infra/package.json').dependencies?.['@pulumi/pulumi'] ?? '',
    testFiles: findTestFiles(root),
  };
}

/** A workflow's `on:` in its one long form: event name -> its filter (or {}). */
export function triggersOf(on: unknown): Record<string, Record<string, unknown>> {
  if (typeof on === 'string') return { [on]: {} };
  if (Array.isArray(on)) return Object.fromEntries(on.map((event: string) => [event, {}]));
  return Object.fromEntries(
    Object.entries((on ?? {}) as Record<string, Record<string, unknown> | null>).map(
      ([event, filter]) => [event, filter ?? {}],
    ),
  );
}

export const environmentOf = (job: Job): string | undefined =>
  typeof job.environment === 'object' ? job.environment.name : job.environment;

export const jobsOf = (repo: Repo) =>
  repo.workflows.flatMap(({ file, workflow }) =>
    Object.entries(workflow.jobs ?? {}).map(([id, job]) => ({ file, id, job, workflow })),
  );

/** Every step of every job and of every local action, with where it is. */
export const stepsOf = (repo: Repo) => [
  ...jobsOf(repo).flatMap(({ file, id, job }) =>
    (job.steps ?? []).map((step) => ({ where: `${file} job ${id}`, step })),
  ),
  ...repo.actions.flatMap(({ uses, steps }) => steps.map((step) => ({ where: uses, step }))),
];

/** The scripts a shell command runs with `npm run SCRIPT`. */
export const npmRunsIn = (command: string) =>
  [...command.matchAll(/\bnpm run (?:--silent )?([\w:.-]+)/g)].map((m) => m[1] as string);

/** Every `npm run SCRIPT` in a step, with where it is. */
export const npmScriptsRun = (repo: Repo) =>
  stepsOf(repo).flatMap(({ where, step }) =>
    npmRunsIn(step.run ?? '').map((script) => ({ where, script })),
  );
