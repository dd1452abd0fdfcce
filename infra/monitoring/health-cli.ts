import postgres from 'postgres';
import { endpointsClientFromEnv } from '../hf/endpoints-client-from-env';
import { HEALTH_ROUTE } from '../../speech/index.ts';
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
  cronCheck,
  errorReportsCheck,
  healthFunctionCheck,
  runHealth,
  speechEndpointCheck,
  type HealthCheck,
} from './health-checks';

const USAGE = `npm run health -- --stack staging|prod [--schedule CRON] [--issue]

Checks the speech endpoint (state, health route, one short synthesis), the functions (the health
function), pg_cron, and the error reports of the last hour against the stack's thresholds.
Reads HF_TOKEN and SUPABASE_DB_URL or SUPABASE_DB_PASSWORD; --issue also GITHUB_TOKEN and
GITHUB_REPOSITORY. --schedule: the schedule that started the run; another stack's is skipped.
Exit codes: 0 healthy (or not this stack's schedule), 3 failing, 1 the run failed, 2 bad input.`;

export const HEALTH_EXIT = { healthy: 0, failing: 3 } as const;

export async function main(argv: string[], env: Env): Promise<number> {
  const values = parseOptions(argv, {
    stack: { type: 'string' },
    schedule: { type: 'string' },
    issue: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const settings = stackSettings(values.stack);
  const stack = values.stack!;
  const { monitoring } = settings;
  // A manual run has no schedule (the workflow passes an empty one): it checks the stack.
  if (values.schedule && values.schedule !== monitoring.healthSchedule) {
    console.log(`${stack} runs its health check on '${monitoring.healthSchedule}', not this one`);
    return 0;
  }

  const dbUrl = databaseUrl(env, settings.supabaseProjectRef);
  const sql = dbUrl
    ? postgres(dbUrl, { max: 1, connect_timeout: 15, onnotice: () => {} })
    : undefined;
  const [namespace, name] = settings.hfEndpoint.split('/') as [string, string];
  const checks: HealthCheck[] = [
    env.HF_TOKEN
      ? speechEndpointCheck({
          client: endpointsClientFromEnv(env, { token: env.HF_TOKEN, retries: 2 }),
          namespace,
          name,
          healthRoute: HEALTH_ROUTE,
          speechUrl: env.HF_ENDPOINT_URL || undefined,
          token: env.HF_TOKEN,
          voice: settings.speechHandler.defaultVoice,
          thresholds: monitoring,
        })
      : unsetCheck('HF_TOKEN', 'speech endpoint'),
    healthFunctionCheck({
      supabaseUrl: env.SUPABASE_URL || `https://${settings.supabaseProjectRef}.supabase.co`,
    }),
    sql ? cronCheck({ sql }) : unsetCheck('SUPABASE_DB_URL or SUPABASE_DB_PASSWORD', 'pg_cron'),
    sql
      ? errorReportsCheck({ sql, thresholds: monitoring })
      : unsetCheck('SUPABASE_DB_URL or SUPABASE_DB_PASSWORD', 'error reports'),
  ];
  try {
    const result = await runHealth(stack, checks, secretValues(env));
    await publishRun(
      env,
      result.report,
      values.issue
        ? {
            concern: 'health',
            stack,
            title: `Health of ${stack}: a check is failing`,
            page: monitoring.page,
            body: result.status === 'failing' ? result.report : undefined,
          }
        : undefined,
    );
    return HEALTH_EXIT[result.status];
  } finally {
    await sql?.end();
  }
}

if (require.main === module) runMain(main, USAGE);
