import { backOff } from 'exponential-backoff';
import { z } from 'zod';
import { runCommand } from '../run-command';

/**
 * `supabase functions deploy --use-api` uploads the functions one by one and then activates
 * every upload that succeeded, even when another failed: one 500 leaves a partial deploy.
 * The deploy is idempotent, so a transient failure reruns it whole.
 */
interface DeployOptions {
  projectRef: string;
  attempts: number;
  startingDelayMs: number;
  log: (line: string) => void;
}

/** What the CLI prints when the API failed for a while: a 429 or 5xx status, or the network. */
const TRANSIENT = /\bstatus (429|5\d\d)\b|TransportError|connection (refused|reset)|i\/o timeout/;

class DeployError extends Error {}

/**
 * Runs the repository's Supabase CLI; `echo` passes its output through to stderr as it comes,
 * stdout included: this command's stdout is the deployed versions alone, which the program records.
 */
const supabase = (args: string[], echo: boolean) =>
  runCommand('npx', ['--no-install', 'supabase', ...args], { echo });

interface ListedFunction {
  slug: string;
  version: number;
  updated_at: number;
}

/** The deployed functions, or undefined when the list cannot be had. */
async function listFunctions(projectRef: string): Promise<ListedFunction[] | undefined> {
  const run = await supabase(
    ['functions', 'list', '--project-ref', projectRef, '-o', 'json'],
    false,
  );
  if (run.code !== 0) return undefined;
  try {
    return JSON.parse(run.stdout) as ListedFunction[];
  } catch {
    return undefined;
  }
}

/** Each deployed function's version and update time, or undefined when the list cannot be had. */
async function deployedVersions(projectRef: string): Promise<Map<string, string> | undefined> {
  const listed = await listFunctions(projectRef);
  return listed && new Map(listed.map((fn) => [fn.slug, `${fn.version}@${fn.updated_at}`]));
}

function activationReport(
  before: Map<string, string> | undefined,
  after: Map<string, string> | undefined,
): string {
  if (!before || !after)
    return 'The functions could not be listed to tell which were activated: run `supabase functions list`.';
  const slugs = [...after.keys()].sort();
  const activated = slugs.filter((slug) => before.get(slug) !== after.get(slug));
  const unchanged = slugs.filter((slug) => before.get(slug) === after.get(slug));
  return (
    `Activated by this deploy: ${activated.join(', ') || 'none'}. ` +
    `Still on their previous version: ${unchanged.join(', ') || 'none'}.`
  );
}

async function deployFunctions(options: DeployOptions): Promise<void> {
  const before = await deployedVersions(options.projectRef);
  let attempts = 0;
  try {
    await backOff(
      async () => {
        attempts += 1;
        const run = await supabase(
          ['functions', 'deploy', '--use-api', '--project-ref', options.projectRef],
          true,
        );
        if (run.code !== 0) throw new DeployError(run.output);
      },
      {
        numOfAttempts: options.attempts,
        startingDelay: options.startingDelayMs,
        // 5 s, 15 s, 45 s by default: together longer than the API's one-minute rate-limit window.
        timeMultiple: 3,
        retry: (error: unknown, attempt: number) => {
          const again =
            error instanceof DeployError &&
            TRANSIENT.test(error.message) &&
            attempt < options.attempts;
          if (again) options.log(`attempt ${attempt} failed transiently: deploying them all again`);
          return again;
        },
      },
    );
  } catch (error) {
    if (!(error instanceof DeployError)) throw error;
    const after = await deployedVersions(options.projectRef);
    throw new DeployError(
      `the deploy failed after ${attempts} attempt${attempts === 1 ? '' : 's'}. ` +
        activationReport(before, after),
    );
  }
  // Recorded by the program (the functions command's stdout): drift compares them with the live ones.
  const listed = await listFunctions(options.projectRef);
  if (!listed) throw new DeployError('deployed, but the functions could not be listed after');
  console.log(JSON.stringify(Object.fromEntries(listed.map((fn) => [fn.slug, fn.version]))));
}

const DeployEnv = z.object({
  SUPABASE_PROJECT_REF: z.string().min(1),
  SUPABASE_DEPLOY_RETRY_DELAY_MS: z.coerce.number().int().min(0).default(5000),
});

if (require.main === module) {
  const log = (line: string) => console.error(`functions deploy: ${line}`);
  Promise.resolve()
    .then(() => {
      const parsed = DeployEnv.safeParse(process.env);
      if (!parsed.success)
        throw new DeployError(
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      return deployFunctions({
        projectRef: parsed.data.SUPABASE_PROJECT_REF,
        attempts: 4,
        startingDelayMs: parsed.data.SUPABASE_DEPLOY_RETRY_DELAY_MS,
        log,
      });
    })
    .catch((error: unknown) => {
      log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
