import type postgres from 'postgres';
import type { EndpointsClient } from '../hf/hf-endpoints-client';
import { redact } from '../redact';

/** What one check found wrong (`problems`, empty when healthy) and what it measured (`notes`). */
export interface HealthCheckResult {
  problems: string[];
  notes?: string[];
}

export interface HealthCheck {
  name: string;
  run(): Promise<HealthCheckResult>;
}

export interface HealthThresholds {
  /** One short synthesis slower than this is a problem. */
  synthesisMs: number;
  /** More error reports than this in the last hour is a spike. */
  errorReportsPerHour: number;
  /** Stripe events younger than this may still be on their way: not yet "never seen". */
  stripeGraceMinutes: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
const SYNTHESIS_TEXT = 'Health check.';

/**
 * The endpoint's state from the Endpoints API, its health route, and one real short synthesis
 * at `speechUrl` (the URL the tts function calls; by default the endpoint's own URL), timed.
 */
export function speechEndpointCheck(options: {
  client: Pick<EndpointsClient, 'getEndpoint' | 'healthy'>;
  namespace: string;
  name: string;
  healthRoute: string;
  speechUrl?: string;
  token: string;
  voice: string;
  thresholds: Pick<HealthThresholds, 'synthesisMs'>;
}): HealthCheck {
  return {
    name: 'speech endpoint',
    async run() {
      const endpoint = await options.client.getEndpoint(options.namespace, options.name);
      const { state, url } = endpoint.status;
      if (state !== 'running') return { problems: [`state is ${state}, not running`] };
      const problems: string[] = [];
      if (!url || !(await options.client.healthy(url, options.healthRoute))) {
        problems.push(`${options.healthRoute} does not answer 200`);
      }
      const speechUrl = options.speechUrl ?? url;
      if (!speechUrl) return { problems: [...problems, 'the endpoint reports no URL'] };
      const started = performance.now();
      const response = await fetch(speechUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: SYNTHESIS_TEXT, voice: options.voice, speed: 1 }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).catch((error: Error) => error);
      const ms = Math.round(performance.now() - started);
      if (response instanceof Error) {
        problems.push(`a short synthesis got no answer (${response.name})`);
        return { problems };
      }
      const body = (await response.json().catch(() => undefined)) as
        { words?: unknown[] } | undefined;
      if (!response.ok || !Array.isArray(body?.words)) {
        problems.push(`a short synthesis answered ${response.status} without speech`);
      } else if (ms > options.thresholds.synthesisMs) {
        problems.push(
          `a short synthesis took ${ms} ms (threshold ${options.thresholds.synthesisMs} ms)`,
        );
      }
      return { problems, notes: [`short synthesis: ${ms} ms`] };
    },
  };
}

interface HealthBody {
  checks?: Record<string, { ok: boolean; detail?: string }>;
}

/** The `health` edge function: the database and the speech endpoint as the functions see them. */
export function healthFunctionCheck({ supabaseUrl }: { supabaseUrl: string }): HealthCheck {
  return {
    name: 'functions',
    async run() {
      const response = await fetch(`${supabaseUrl.replace(/\/$/, '')}/functions/v1/health`, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = (await response.json().catch(() => ({}))) as HealthBody;
      const failing = Object.entries(body.checks ?? {}).filter(([, check]) => !check.ok);
      if (response.status === 200 && failing.length === 0) return { problems: [] };
      if (failing.length === 0)
        return { problems: [`health function answered ${response.status}`] };
      return {
        problems: failing.map(
          ([name, check]) => `${name} is ${check.detail ?? 'failing'} from the functions`,
        ),
      };
    },
  };
}

/** pg_cron jobs that failed or missed their schedule in the last day. */
export function cronCheck({ sql }: { sql: postgres.Sql }): HealthCheck {
  return {
    name: 'pg_cron',
    async run() {
      const rows = await sql<
        { jobname: string; problem: string; runs: number; last_message: string | null }[]
      >`
        select * from private.health_cron_problems(interval '1 day')`;
      return {
        problems: rows.map((row) =>
          row.problem === 'failed'
            ? `${row.jobname} failed ${row.runs} time(s) in the last day: ${row.last_message ?? ''}`.trim()
            : `${row.jobname} missed its schedule`,
        ),
      };
    },
  };
}

/** Error reports from the extension in the last hour against the stack's threshold. */
export function errorReportsCheck({
  sql,
  thresholds,
}: {
  sql: postgres.Sql;
  thresholds: Pick<HealthThresholds, 'errorReportsPerHour'>;
}): HealthCheck {
  return {
    name: 'error reports',
    async run() {
      const [row] = await sql<{ count: number }[]>`
        select private.health_error_reports(interval '1 hour') as count`;
      const count = row?.count ?? 0;
      const limit = thresholds.errorReportsPerHour;
      return {
        problems:
          count > limit ? [`${count} error reports in the last hour (threshold ${limit})`] : [],
        notes: [`error reports in the last hour: ${count}`],
      };
    },
  };
}

export interface StripeEvent {
  id: string;
  type: string;
  created: number;
  pending_webhooks: number;
}

/** The events Stripe created since a time, every page of the `stripe` client's list. */
export type ListStripeEvents = (since: number) => Promise<StripeEvent[]>;

/**
 * Deliveries that failed: events Stripe still has webhooks pending for after the grace period
 * (the function answered 4xx/5xx or timed out), and events the events table never recorded.
 */
export function stripeDeliveriesCheck({
  listEvents,
  sql,
  thresholds,
  now = () => Date.now(),
}: {
  listEvents: ListStripeEvents;
  sql: postgres.Sql;
  thresholds: Pick<HealthThresholds, 'stripeGraceMinutes'>;
  now?: () => number;
}): HealthCheck {
  return {
    name: 'Stripe deliveries',
    async run() {
      const settled = Math.floor(now() / 1000) - thresholds.stripeGraceMinutes * 60;
      const events = (await listEvents(settled - 24 * 3600)).filter((e) => e.created <= settled);
      const ids = events.map((e) => e.id);
      const seen = new Set(
        (
          await sql<{ id: string }[]>`
          select id from private.health_stripe_events_seen(${ids}::text[]) as id`
        ).map((r) => r.id),
      );
      const pending = events.filter((e) => e.pending_webhooks > 0);
      const unseen = events.filter((e) => !seen.has(e.id) && e.pending_webhooks === 0);
      return {
        problems: [
          ...pending.map((e) => `${e.id} (${e.type}): delivery failing, Stripe still retries it`),
          ...unseen.map(
            (e) => `${e.id} (${e.type}): delivered, but never recorded by the function`,
          ),
        ],
        notes: [`Stripe events in the last day: ${events.length}`],
      };
    },
  };
}

export interface StripeWebhookEndpoint {
  id: string;
  url: string;
  status: string;
}

/**
 * Stripe's own status of the webhook endpoint the stack declares, found by the stack's
 * stripe-webhook URL: missing or disabled, Stripe sends the stack's events nowhere.
 */
export function stripeEndpointCheck({
  listEndpoints,
  url,
}: {
  listEndpoints: () => Promise<StripeWebhookEndpoint[]>;
  url: string;
}): HealthCheck {
  return {
    name: 'Stripe webhook endpoint',
    async run() {
      const endpoints = (await listEndpoints()).filter((endpoint) => endpoint.url === url);
      if (endpoints.length === 0)
        return { problems: [`Stripe has no webhook endpoint for ${url}`] };
      return {
        problems: endpoints
          .filter((endpoint) => endpoint.status !== 'enabled')
          .map((endpoint) => `${endpoint.id} for ${url} is ${endpoint.status}, not enabled`),
        notes: endpoints.map((endpoint) => `${endpoint.id}: ${endpoint.status}`),
      };
    },
  };
}

export interface HealthResult {
  status: 'healthy' | 'failing';
  report: string;
}

/** Runs every check (a check that throws is a problem of its own) into one redacted report. */
export async function runHealth(
  stack: string,
  checks: HealthCheck[],
  secrets: string[],
): Promise<HealthResult> {
  const lines = [`## Health of stack \`${stack}\``, ''];
  let failing = false;
  for (const check of checks) {
    const result = await check.run().catch((error: Error): HealthCheckResult => ({
      problems: [`the check failed: ${error.message}`],
    }));
    failing ||= result.problems.length > 0;
    lines.push(`### ${check.name}: ${result.problems.length === 0 ? 'ok' : 'FAILING'}`, '');
    for (const problem of result.problems) lines.push(`- ${problem}`);
    for (const note of result.notes ?? []) lines.push(`- ${note}`);
    lines.push('');
  }
  return { status: failing ? 'failing' : 'healthy', report: redact(lines.join('\n'), secrets) };
}
