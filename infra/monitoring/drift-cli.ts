import { spawn } from 'node:child_process';
import path from 'node:path';
import { endpointsClientFromEnv } from '../hf/endpoints-client-from-env';
import { handlerEnvironment } from '../hf/speech-endpoint';
import { repoRoot } from '../paths';
import { MANAGEMENT_API_URL } from '../supabase/project';
import {
  databaseUrl,
  parseOptions,
  publishRun,
  runMain,
  secretValues,
  stackSettings,
  unsetCheck,
  type Env,
} from './cli-common';
import {
  declaredFunctions,
  endpointCheck,
  functionsCheck,
  migrationsCheck,
  type DriftCheck,
} from './drift-checks';
import { DRIFT_EXIT, runDrift, type PreviewResult } from './drift-run';
import { previewArgs, previewOutcome } from './preview-outcome';

const USAGE = `npm run drift -- --stack staging|prod [--no-preview] [--image REPO@sha256:...] [--issue]

Compares what the stack declares with what runs, and writes nothing anywhere but the report:
  pulumi preview --refresh --expect-no-changes (skip with --no-preview), then the explicit
  checks: migrations applied, functions deployed, the endpoint's image and env.
Reads SUPABASE_ACCESS_TOKEN, SUPABASE_DB_URL or SUPABASE_DB_PASSWORD, HF_TOKEN; --issue also
GITHUB_TOKEN and GITHUB_REPOSITORY, to open, update or close the stack's drift issue.
Exit codes: 0 no drift, 3 drift found, 1 a check failed (the answer is unknown), 2 bad input.`;

/** Runs a command, its output echoed to stderr and returned. */
function runCli(command: string, args: string[], env: Env) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      process.stderr.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

export async function main(argv: string[], env: Env): Promise<number> {
  const values = parseOptions(argv, {
    stack: { type: 'string' },
    'no-preview': { type: 'boolean', default: false },
    image: { type: 'string' },
    issue: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const stack = values.stack;
  const settings = stackSettings(stack);
  const withPreview = !values['no-preview'];

  let preview: PreviewResult | undefined;
  let image = values.image;
  if (withPreview) {
    // The program's GitHub provider reads GITHUB_TOKEN: it refreshes with the admin token.
    const pulumiEnv = { ...env, GITHUB_TOKEN: env.REPO_ADMIN_TOKEN || env.GITHUB_TOKEN };
    const run = await runCli('pulumi', previewArgs(stack!), pulumiEnv).catch((error: Error) => ({
      code: null,
      output: `pulumi could not start: ${error.message} (install the Pulumi CLI, or pass --no-preview)`,
    }));
    preview = { outcome: previewOutcome(run.code), exitCode: run.code, output: run.output };
    if (image === undefined) {
      // Read-only: the image the last `pulumi up` rolled out, from the stack's outputs.
      const output = await runCli(
        'pulumi',
        ['stack', 'output', 'handlerImage', '--stack', stack!],
        pulumiEnv,
      ).catch(() => undefined);
      if (output?.code === 0) image = output.output.trim();
    }
  }

  const projectRef = settings.supabaseProjectRef;
  const dbUrl = databaseUrl(env, projectRef);
  const [namespace, name] = settings.hfEndpoint.split('/') as [string, string];
  const checks: DriftCheck[] = [
    dbUrl
      ? migrationsCheck({ dbUrl, repoRoot })
      : unsetCheck('SUPABASE_DB_URL or SUPABASE_DB_PASSWORD', 'migrations'),
    env.SUPABASE_ACCESS_TOKEN
      ? functionsCheck({
          api: {
            projectRef,
            apiUrl: env.SUPABASE_MANAGEMENT_API_URL || MANAGEMENT_API_URL,
            accessToken: env.SUPABASE_ACCESS_TOKEN,
          },
          declared: declaredFunctions(path.join(repoRoot, 'supabase')),
        })
      : unsetCheck('SUPABASE_ACCESS_TOKEN', 'functions'),
    env.HF_TOKEN && image
      ? endpointCheck({
          client: endpointsClientFromEnv(env, { token: env.HF_TOKEN, retries: 3 }),
          declared: {
            namespace,
            name,
            image,
            env: handlerEnvironment(settings.speechHandler),
            compute: settings.hfEndpointCompute,
          },
        })
      : unsetCheck(env.HF_TOKEN ? 'the expected image (--image)' : 'HF_TOKEN', 'speech endpoint'),
  ];

  const result = await runDrift(stack!, preview, checks, secretValues(env));
  // An unknown answer never closes the issue; findings are still worth reporting.
  const reportable =
    result.status !== 'error' || result.findings.length > 0 || preview?.outcome === 'drift';
  await publishRun(
    env,
    result.report,
    values.issue && reportable
      ? {
          concern: 'drift',
          stack: stack!,
          title: `Drift in ${stack}: what runs is not what the code declares`,
          page: settings.monitoring.page,
          body: result.status === 'clean' ? undefined : result.report,
        }
      : undefined,
  );
  return DRIFT_EXIT[result.status];
}

if (require.main === module) runMain(main, USAGE);
