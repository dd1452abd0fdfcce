import { appendFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  ConfigError,
  fullKey,
  parseStackConfig,
  secretKeys,
  STACKS,
  type StackSettings,
} from '../config';
import { readStackFile } from '../plan/stack-file';
import { githubClient, syncStatusIssue, type IssueOutcome, type StatusIssue } from './status-issue';

export type Env = Record<string, string | undefined>;

/** Thrown for bad input: the message names what is wrong; the CLI exits 2 and changes nothing. */
export class UsageError extends Error {}

/** The stack's validated settings from its file; secrets come from the environment here. */
export function stackSettings(stack: string | undefined): StackSettings {
  if (stack === undefined || !STACKS.includes(stack)) {
    throw new UsageError(`--stack must be one of ${STACKS.join(', ')}, got ${stack ?? 'nothing'}`);
  }
  const { values } = readStackFile(stack);
  // The stack file holds ciphertexts this process cannot and need not decrypt.
  const unused = Object.fromEntries(secretKeys.map((key) => [fullKey(key), 'unused']));
  return parseStackConfig(stack, { ...values, ...unused });
}

/** The stack's database: SUPABASE_DB_URL as given, or the project's direct connection. */
export function databaseUrl(env: Env, projectRef: string): string | undefined {
  if (env.SUPABASE_DB_URL) return env.SUPABASE_DB_URL;
  if (!env.SUPABASE_DB_PASSWORD) return undefined;
  const password = encodeURIComponent(env.SUPABASE_DB_PASSWORD);
  return `postgresql://postgres:${password}@db.${projectRef}.supabase.co:5432/postgres`;
}

/** Every secret value this run was given, so that no report or log line shows one. */
export function secretValues(env: Env): string[] {
  return [
    env.SUPABASE_DB_URL,
    env.SUPABASE_DB_PASSWORD,
    env.SUPABASE_ACCESS_TOKEN,
    env.HF_TOKEN,
    env.PULUMI_CONFIG_PASSPHRASE,
    env.PULUMI_BACKEND_URL,
    env.GITHUB_TOKEN,
    env.REPO_ADMIN_TOKEN,
    env.STRIPE_API_KEY,
    env.CWS_CLIENT_ID,
    env.CWS_CLIENT_SECRET,
    env.CWS_REFRESH_TOKEN,
  ].filter((value): value is string => Boolean(value));
}

/** The report in the job summary, when run in GitHub Actions. */
function writeSummary(env: Env, report: string): void {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${report}\n`);
}

/** The stack's issue for this concern, through the repository the workflow runs in. */
async function publishIssue(
  env: Env,
  issue: StatusIssue,
  report: string | undefined,
): Promise<IssueOutcome> {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!env.GITHUB_TOKEN || !owner || !repo) {
    throw new UsageError('--issue needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name)');
  }
  const octokit = githubClient(env.GITHUB_TOKEN, env.GITHUB_API_URL || undefined);
  return syncStatusIssue({ octokit, owner, repo }, issue, report);
}

/** The label the team watches, added to a stack's issues when its settings say it pages. */
export const PAGE_LABEL = 'page';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options, or a UsageError naming the one that is unknown or malformed. */
function parseOptions<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** 2 for bad input (options, stack config), 1 for anything else that stopped the run. */
export const exitCodeOf = (error: unknown) =>
  error instanceof UsageError || error instanceof ConfigError ? 2 : 1;

/** A check that cannot run because `what` is not set: it fails saying so. */
export const unsetCheck = (what: string, name: string) => ({
  name,
  run: (): Promise<never> => Promise.reject(new Error(`${what} is not set`)),
});

/** Runs a CLI's main as the process: its exit code, or the error's (with the usage for bad input). */
export function runMain(main: (argv: string[], env: Env) => Promise<number>, usage: string): void {
  main(process.argv.slice(2), process.env)
    .then((code) => (process.exitCode = code))
    .catch((error: Error) => {
      console.error(error instanceof UsageError ? `${error.message}\n\n${usage}` : error.message);
      process.exitCode = exitCodeOf(error);
    });
}

/** What a run writes on its stack's issue for one concern: `body` opens or updates it, undefined closes it. */
export interface IssueUpdate {
  concern: 'drift' | 'health';
  stack: string;
  title: string;
  page: boolean;
  body: string | undefined;
}

/** Prints the report, adds it to the job summary, then syncs the stack's issue when given one. */
async function publishRun(env: Env, report: string, issue?: IssueUpdate): Promise<void> {
  console.log(report);
  writeSummary(env, report);
  if (issue === undefined) return;
  const outcome = await publishIssue(
    env,
    {
      label: `${issue.concern}:${issue.stack}`,
      title: issue.title,
      extraLabels: issue.page ? [PAGE_LABEL] : [],
    },
    issue.body,
  );
  console.error(`${issue.concern} issue: ${outcome.action}`);
}

/** The options every monitoring CLI takes. */
const COMMON_OPTIONS = {
  stack: { type: 'string' },
  issue: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const satisfies Options;

type CommonValues = { stack?: string; issue: boolean; help: boolean };

/** What a monitoring CLI's run is given: its options, its stack, and how to publish the result. */
export interface CliRun<O extends Options> {
  values: ReturnType<typeof parseOptions<O & typeof COMMON_OPTIONS>>;
  stack: string;
  settings: StackSettings;
  env: Env;
  /** The stack's database, when the environment gives its URL or password. */
  dbUrl: string | undefined;
  /** Every secret value the run was given: no report may show one. */
  secrets: string[];
  /**
   * Prints the report and adds it to the job summary; with --issue and `issue` given, opens or
   * updates the stack's issue (`body` set) or closes it (`body` undefined).
   */
  publish(report: string, issue?: Pick<IssueUpdate, 'title' | 'body'>): Promise<void>;
}

/**
 * A monitoring CLI's main: parses its options and the common ones (--stack, --issue, --help),
 * validates the stack, then runs. Bad input throws a UsageError before anything is read.
 */
export function defineCli<O extends Options>(cli: {
  concern: IssueUpdate['concern'];
  usage: string;
  options: O;
  run(run: CliRun<O>): Promise<number>;
}): (argv: string[], env: Env) => Promise<number> {
  return async (argv, env) => {
    // Inside the generic, TypeScript cannot resolve the common options' types on its own.
    const values = parseOptions(argv, {
      ...COMMON_OPTIONS,
      ...cli.options,
    }) as CliRun<O>['values'] & CommonValues;
    if (values.help) {
      console.log(cli.usage);
      return 0;
    }
    const settings = stackSettings(values.stack);
    const stack = values.stack!;
    return cli.run({
      values,
      stack,
      settings,
      env,
      dbUrl: databaseUrl(env, settings.supabaseProjectRef),
      secrets: secretValues(env),
      publish: (report, issue) =>
        publishRun(
          env,
          report,
          values.issue && issue
            ? { ...issue, concern: cli.concern, stack, page: settings.monitoring.page }
            : undefined,
        ),
    });
  };
}
