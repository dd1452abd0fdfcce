import postgres from 'postgres';
import { endpointsClientFromEnv } from '../hf/endpoints-client-from-env';
import { withStripe, type StripeConnection } from '../stripe/client';
import { functionUrl } from '../supabase/project';
import { HEALTH_ROUTE } from '../../speech/index.ts';
import { defineCli, runMain, unsetCheck, type Env } from './cli-common';
import * as health from './health-checks';

const USAGE = `npm run health -- --stack staging|prod [--schedule CRON] [--issue]

Checks the speech endpoint (state, health route, one short synthesis), the functions (the health
function), pg_cron, the error reports of the last hour against the stack's thresholds, and Stripe:
deliveries that failed, and the status of the stack's webhook endpoint.
Reads HF_TOKEN, SUPABASE_DB_URL or SUPABASE_DB_PASSWORD, STRIPE_API_KEY; --issue also GITHUB_TOKEN
and GITHUB_REPOSITORY. --schedule: the schedule that started the run; another stack's is skipped.
Exit codes: 0 healthy (or not this stack's schedule), 3 failing, 1 the run failed, 2 bad input.`;

export const HEALTH_EXIT = { healthy: 0, failing: 3 } as const;

const DATABASE_UNSET = 'SUPABASE_DB_URL or SUPABASE_DB_PASSWORD';
// Far above a day of this product's events or its endpoints; a bound on what one run reads.
const MAX_LISTED = 10_000;

/** Where STRIPE_API_URL points the client (tests: a fake on 127.0.0.1); unset, api.stripe.com. */
function stripeConnection(apiUrl: string | undefined): StripeConnection | undefined {
  if (!apiUrl) return undefined;
  const url = new URL(apiUrl);
  return {
    host: url.hostname,
    port: Number(url.port) || undefined,
    protocol: url.protocol === 'http:' ? 'http' : 'https',
  };
}

/** The deliveries of the events Stripe sent, and Stripe's status of the stack's webhook endpoint. */
function stripeChecks(
  env: Env,
  projectRef: string,
  sql: postgres.Sql | undefined,
  thresholds: health.HealthThresholds,
): health.HealthCheck[] {
  if (!env.STRIPE_API_KEY) return [unsetCheck('STRIPE_API_KEY', 'Stripe')];
  const target = { apiKey: env.STRIPE_API_KEY, connection: stripeConnection(env.STRIPE_API_URL) };
  return [
    sql
      ? health.stripeDeliveriesCheck({
          sql,
          thresholds,
          listEvents: (since) =>
            withStripe(target, 'event list', (stripe) =>
              stripe.events
                .list({ created: { gte: since }, limit: 100 })
                .autoPagingToArray({ limit: MAX_LISTED }),
            ),
        })
      : unsetCheck(DATABASE_UNSET, 'Stripe deliveries'),
    health.stripeEndpointCheck({
      url: functionUrl(projectRef, 'stripe-webhook'),
      listEndpoints: () =>
        withStripe(target, 'webhook endpoint list', (stripe) =>
          stripe.webhookEndpoints.list({ limit: 100 }).autoPagingToArray({ limit: MAX_LISTED }),
        ),
    }),
  ];
}

export const main = defineCli({
  concern: 'health',
  usage: USAGE,
  options: { schedule: { type: 'string' } },
  async run({ values, stack, settings, env, dbUrl, secrets, publish }) {
    const { monitoring } = settings;
    // A manual run has no schedule (the workflow passes an empty one): it checks the stack.
    if (values.schedule && values.schedule !== monitoring.healthSchedule) {
      console.log(`${stack} runs its health check on '${monitoring.healthSchedule}', not this one`);
      return 0;
    }

    const sql = dbUrl
      ? postgres(dbUrl, { max: 1, connect_timeout: 15, onnotice: () => {} })
      : undefined;
    const [namespace, name] = settings.hfEndpoint.split('/') as [string, string];
    const checks: health.HealthCheck[] = [
      env.HF_TOKEN
        ? health.speechEndpointCheck({
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
      health.healthFunctionCheck({
        supabaseUrl: env.SUPABASE_URL || `https://${settings.supabaseProjectRef}.supabase.co`,
      }),
      sql ? health.cronCheck({ sql }) : unsetCheck(DATABASE_UNSET, 'pg_cron'),
      sql
        ? health.errorReportsCheck({ sql, thresholds: monitoring })
        : unsetCheck(DATABASE_UNSET, 'error reports'),
      ...stripeChecks(env, settings.supabaseProjectRef, sql, monitoring),
    ];
    try {
      const result = await health.runHealth(stack, checks, secrets);
      await publish(result.report, {
        title: `Health of ${stack}: a check is failing`,
        body: result.status === 'failing' ? result.report : undefined,
      });
      return HEALTH_EXIT[result.status];
    } finally {
      await sql?.end();
    }
  },
});

if (require.main === module) runMain(main, USAGE);
