import path from 'node:path';
import type { StackSettings } from '../config';
import { stackStoreCredentials } from '../extension/stack-store';
import { readStoreStatus } from '../extension/store';
import { endpointsClientFromEnv } from '../hf/endpoints-client-from-env';
import { handlerEnvironment } from '../hf/speech-endpoint';
import { repoRoot } from '../paths';
import { runCommand } from '../run-command';
import { MANAGEMENT_API_URL } from '../supabase/project';
import { defineCli, runMain, unsetCheck, type Env } from './cli-common';
import {
  declaredFunctions,
  endpointCheck,
  functionsCheck,
  migrationsCheck,
  skippedCheck,
  storeItemCheck,
  type DriftCheck,
} from './drift-checks';
import { DRIFT_EXIT, runDrift, type PreviewResult } from './drift-run';
import { previewArgs, previewOutcome } from './preview-outcome';

const USAGE = `npm run drift -- --stack staging|prod [--no-preview] [--image REPO@sha256:...]
  [--extension-version VERSION] [--issue]

Compares what the stack declares with what runs, and writes nothing anywhere but the report:
  pulumi preview --refresh --expect-no-changes (skip with --no-preview), then the explicit
  checks: migrations applied, functions deployed, the endpoint's image and env, the store item's
  published version. The expected image and extension version are the stack's outputs
  (handlerImage, extension), read with \`pulumi stack output\` unless given.
Reads SUPABASE_ACCESS_TOKEN, SUPABASE_DB_URL or SUPABASE_DB_PASSWORD, HF_TOKEN; the store
credentials from CWS_CLIENT_ID, CWS_CLIENT_SECRET, CWS_REFRESH_TOKEN or else the stack's secrets
(\`pulumi config get\`, which needs PULUMI_CONFIG_PASSPHRASE); --issue also GITHUB_TOKEN and
GITHUB_REPOSITORY, to open, update or close the stack's drift issue.
Exit codes: 0 no drift, 3 drift found, 1 a check failed (the answer is unknown), 2 bad input.`;

/** Runs a command from the repository's root, its output echoed to stderr and returned. */
const runCli = (command: string, args: string[], env: Env) =>
  runCommand(command, args, { cwd: repoRoot, env, echo: true });

/** One of the stack's outputs, read-only; undefined when the stack has none (never deployed). */
async function stackOutput(stack: string, name: string, env: Env) {
  const output = await runCli(
    'pulumi',
    ['stack', 'output', name, '--json', '--stack', stack],
    env,
  ).catch(() => undefined);
  if (output?.code !== 0) return undefined;
  try {
    // The CLI's warnings go to stderr: only stdout is the output's JSON.
    return JSON.parse(output.stdout) as unknown;
  } catch {
    return undefined;
  }
}

/** The store item's published version against the stack's released one, with the stack's store credentials. */
export function storeCheck(
  stack: string,
  settings: StackSettings,
  env: Env,
  expectedVersion: string | undefined,
): DriftCheck {
  if (settings.extensionRelease.publishType === 'UPLOAD_ONLY') {
    return skippedCheck('store item', 'the stack uploads to the store without publishing');
  }
  if (expectedVersion === undefined) {
    return unsetCheck('the released extension version (--extension-version)', 'store item');
  }
  const item = { extensionId: settings.chromeExtensionId, publisherId: settings.chromePublisherId };
  return storeItemCheck({
    itemId: item.extensionId,
    expectedVersion,
    readRevisions: () => readStoreStatus({ ...item, ...stackStoreCredentials(stack, env) }),
  });
}

export const main = defineCli({
  concern: 'drift',
  usage: USAGE,
  options: {
    'no-preview': { type: 'boolean', default: false },
    image: { type: 'string' },
    'extension-version': { type: 'string' },
  },
  async run({ values, stack, settings, env, dbUrl, secrets, publish }) {
    let preview: PreviewResult | undefined;
    let image = values.image;
    let extensionVersion = values['extension-version'];
    let functionVersions: Record<string, number> | undefined;
    if (!values['no-preview']) {
      // The program's GitHub provider reads GITHUB_TOKEN: it refreshes with the admin token.
      const pulumiEnv = { ...env, GITHUB_TOKEN: env.REPO_ADMIN_TOKEN || env.GITHUB_TOKEN };
      const run = await runCli('pulumi', previewArgs(stack), pulumiEnv).catch((error: Error) => ({
        code: null,
        output: `pulumi could not start: ${error.message} (install the Pulumi CLI, or pass --no-preview)`,
      }));
      preview = { outcome: previewOutcome(run.code), exitCode: run.code, output: run.output };
      // Read-only: what the last `pulumi up` rolled out and released, from the stack's outputs.
      image ??= (await stackOutput(stack, 'handlerImage', pulumiEnv)) as string | undefined;
      functionVersions = (await stackOutput(stack, 'functionVersions', pulumiEnv)) as
        Record<string, number> | undefined;
      extensionVersion ??= (
        (await stackOutput(stack, 'extension', pulumiEnv)) as { version?: string } | undefined
      )?.version;
    }

    const projectRef = settings.supabaseProjectRef;
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
            recordedVersions: functionVersions,
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
      storeCheck(stack, settings, env, extensionVersion),
    ];

    const result = await runDrift(stack, preview, checks, secrets);
    // An unknown answer never closes the issue; findings are still worth reporting.
    const reportable =
      result.status !== 'error' || result.findings.length > 0 || preview?.outcome === 'drift';
    await publish(
      result.report,
      reportable
        ? {
            title: `Drift in ${stack}: what runs is not what the code declares`,
            body: result.status === 'clean' ? undefined : result.report,
          }
        : undefined,
    );
    return DRIFT_EXIT[result.status];
  },
});

if (require.main === module) runMain(main, USAGE);
