import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../scripts/local-backend';
import { serveFunction } from '../../scripts/local-backend/functions';
import { freePort } from '../../scripts/local-backend/processes';
import { createUser } from '../../scripts/local-backend/users';
import { asCaller } from '../../supabase/tests/database';
import { createEndpointsClient, systemClock } from '../hf/hf-endpoints-client';
import { startFakeHfEndpoints, type FakeHfEndpointsOptions } from '../hf/testing/fake-hf-endpoints';
import {
  cronCheck,
  errorReportsCheck,
  healthFunctionCheck,
  runHealth,
  speechEndpointCheck,
  stripeDeliveriesCheck,
  stripeEndpointCheck,
  type HealthCheck,
  type StripeEvent,
} from './health-checks';
import { startFakeStripe } from '../stripe/testing/fake-stripe';

const IMAGE = `ghcr.io/read-aloud/kokoro-handler@sha256:${'a'.repeat(64)}`;

describe('health checks against the local backend', () => {
  let backend: LocalBackend;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    backend = await startLocalBackend();
  }, 120_000);
  afterAll(async () => {
    for (const stop of stops) await stop();
    await backend?.stop();
  });

  describe('speech endpoint', () => {
    const check = async (fake: Partial<FakeHfEndpointsOptions> = {}, synthesisMs = 30_000) => {
      const hf = await startFakeHfEndpoints({
        token: 'hf_api_token',
        namespace: 'ns',
        name: 'kokoro',
        image: IMAGE,
        ...fake,
      });
      stops.push(hf.close);
      const client = createEndpointsClient({
        apiBase: hf.apiBase,
        token: 'hf_api_token',
        secrets: [],
        retry: { retries: 0, startingDelayMs: 1 },
        clock: systemClock,
        log: () => {},
      });
      return speechEndpointCheck({
        client,
        namespace: 'ns',
        name: 'kokoro',
        healthRoute: '/health',
        speechUrl: backend.speechEndpoint.url,
        token: backend.speechEndpoint.token,
        voice: 'af_heart',
        thresholds: { synthesisMs },
      }).run();
    };

    it('is quiet when running, healthy and fast, and reports the synthesis latency', async () => {
      const result = await check();
      expect(result.problems).toEqual([]);
      expect(result.notes?.[0]).toMatch(/^short synthesis: \d+ ms$/);
      expect(backend.speechEndpoint.requests.at(-1)?.text).toBe('Health check.');
    });

    it('reports an endpoint that is not running', async () => {
      expect((await check({ state: 'paused' })).problems).toEqual(['state is paused, not running']);
    });

    it('reports a health route that does not answer 200', async () => {
      expect((await check({ healthStatus: 503 })).problems).toEqual([
        '/health does not answer 200',
      ]);
    });

    it('reports a synthesis that fails, and one slower than the threshold', async () => {
      backend.speechEndpoint.behave({ status: 500 });
      expect((await check()).problems).toEqual(['a short synthesis answered 500 without speech']);
      backend.speechEndpoint.behave({ delayMs: 60 });
      expect((await check({}, 20)).problems[0]).toMatch(
        /^a short synthesis took \d+ ms \(threshold 20 ms\)$/,
      );
    });
  });

  describe('functions', () => {
    it('is quiet when the health function answers 200', async () => {
      expect(await healthFunctionCheck({ supabaseUrl: backend.url }).run()).toEqual({
        problems: [],
      });
    });

    it('reports the database down as the functions see it', async () => {
      const port = await freePort();
      const fn = await serveFunction('health', {
        ...backend.functionEnv,
        SUPABASE_DB_URL: `postgres://postgres:pw@127.0.0.1:${port}/postgres`,
      });
      stops.push(fn.stop);
      const result = await healthFunctionCheck({
        supabaseUrl: `http://127.0.0.1:${fn.port}`,
      }).run();
      expect(result.problems).toEqual(['database is unreachable from the functions']);
    }, 60_000);
  });

  describe('pg_cron', () => {
    const run = async (jobname: string, status: string, startedAgo: string, message = '') => {
      await backend.sql`
        insert into cron.job_run_details
          (jobid, runid, job_pid, database, username, command, status, return_message, start_time, end_time)
        select jobid, nextval('cron.runid_seq'), 1, 'postgres', 'postgres', command, ${status},
               ${message}, now() - ${startedAgo}::interval, now() - ${startedAgo}::interval
        from cron.job where jobname = ${jobname}`;
    };
    afterEach(() => backend.sql`delete from cron.job_run_details`);

    it('is quiet when the jobs ran as scheduled, and for jobs that never ran yet', async () => {
      await run('purge-error-reports', 'succeeded', '3 hours');
      await run('purge-stripe-events', 'succeeded', '6 days');
      expect(await cronCheck({ sql: backend.sql }).run()).toEqual({ problems: [] });
    });

    it('reports a failed run and a daily job that missed its schedule', async () => {
      await run('purge-error-reports', 'failed', '2 hours', 'permission denied for table x');
      await run('purge-speech-cache', 'succeeded', '3 days');
      await run('purge-stripe-events', 'succeeded', '9 days');
      expect((await cronCheck({ sql: backend.sql }).run()).problems).toEqual([
        'purge-error-reports failed 1 time(s) in the last day: permission denied for table x',
        'purge-speech-cache missed its schedule',
        'purge-stripe-events missed its schedule',
      ]);
    });

    it('exposes the health functions to service_role only', async () => {
      const userId = await createUser(backend.sql, 'health-reader@example.com');
      for (const caller of [{ role: 'anon' }, { role: 'authenticated', sub: userId }] as const) {
        const denied = await asCaller(
          backend.sql,
          caller,
          (tx) => tx`select * from private.health_cron_problems()`,
        );
        expect(denied.error).toBe('42501');
      }
      const allowed = await asCaller(
        backend.sql,
        { role: 'service_role' },
        (tx) => tx`select private.health_error_reports() as n`,
      );
      expect(allowed.error).toBeUndefined();
    });
  });

  describe('error reports', () => {
    const report = (ago: string) => backend.sql`
      insert into public.error_reports (reporter, message, created_at)
      values ('ip:test', 'TypeError', now() - ${ago}::interval)`;
    afterEach(() => backend.sql`delete from public.error_reports`);

    it('is quiet at or under the threshold, counting only the last hour', async () => {
      await report('5 minutes');
      await report('2 hours');
      const result = await errorReportsCheck({
        sql: backend.sql,
        thresholds: { errorReportsPerHour: 1 },
      }).run();
      expect(result).toEqual({ problems: [], notes: ['error reports in the last hour: 1'] });
    });

    it('reports a spike over the threshold', async () => {
      for (const ago of ['1 minute', '2 minutes', '3 minutes']) await report(ago);
      const result = await errorReportsCheck({
        sql: backend.sql,
        thresholds: { errorReportsPerHour: 2 },
      }).run();
      expect(result.problems).toEqual(['3 error reports in the last hour (threshold 2)']);
    });
  });

  describe('Stripe deliveries', () => {
    const key = 'sk_test_health_check_key_0000';
    const NOW = 1_900_000_000_000;
    const at = (minutesAgo: number) => NOW / 1000 - minutesAgo * 60;
    const check = async (events: StripeEvent[]) => {
      const fake = await startFakeStripe({ apiKey: key, events });
      stops.push(fake.close);
      const stripe = new Stripe(key, fake.connection);
      return stripeDeliveriesCheck({
        listEvents: (since) =>
          stripe.events
            .list({ created: { gte: since }, limit: 2 })
            .autoPagingToArray({ limit: 100 }),
        sql: backend.sql,
        thresholds: { stripeGraceMinutes: 10 },
        now: () => NOW,
      }).run();
    };
    const event = (id: string, minutesAgo: number, pending = 0): StripeEvent => ({
      id,
      type: 'customer.subscription.updated',
      created: at(minutesAgo),
      pending_webhooks: pending,
    });
    afterEach(() => backend.sql`delete from public.stripe_events`);

    it('is quiet when every settled event was recorded, across pages', async () => {
      await backend.sql`insert into public.stripe_events (id, type)
        values ('evt_1', 'x'), ('evt_2', 'x'), ('evt_3', 'x')`;
      const result = await check([event('evt_1', 30), event('evt_2', 60), event('evt_3', 90)]);
      expect(result.problems).toEqual([]);
      expect(result.notes).toEqual(['Stripe events in the last day: 3']);
    });

    it('reports a failing delivery and an event never recorded, not one still in its grace period', async () => {
      await backend.sql`insert into public.stripe_events (id, type) values ('evt_ok', 'x')`;
      const result = await check([
        event('evt_ok', 30),
        event('evt_failing', 40, 1),
        event('evt_lost', 50),
        event('evt_fresh', 2),
      ]);
      expect(result.problems).toEqual([
        'evt_failing (customer.subscription.updated): delivery failing, Stripe still retries it',
        'evt_lost (customer.subscription.updated): delivered, but never recorded by the function',
      ]);
    });
  });

  describe('Stripe webhook endpoint', () => {
    const key = 'sk_test_health_check_key_0000';
    const url = 'https://abcdefghijklmnopqrst.supabase.co/functions/v1/stripe-webhook';
    const check = async (endpoints: { url: string; disabled?: boolean }[]) => {
      const fake = await startFakeStripe({ apiKey: key });
      stops.push(fake.close);
      const stripe = new Stripe(key, fake.connection);
      for (const endpoint of endpoints) {
        const { id } = await stripe.webhookEndpoints.create({
          url: endpoint.url,
          enabled_events: ['customer.subscription.updated'],
        });
        if (endpoint.disabled) await stripe.webhookEndpoints.update(id, { disabled: true });
      }
      return stripeEndpointCheck({
        url,
        listEndpoints: () =>
          stripe.webhookEndpoints.list({ limit: 1 }).autoPagingToArray({ limit: 100 }),
      }).run();
    };

    it('is quiet when the endpoint for the stack URL is enabled, across pages', async () => {
      const result = await check([{ url: 'https://elsewhere.example/hook' }, { url }]);
      expect(result.problems).toEqual([]);
      expect(result.notes).toEqual([expect.stringMatching(/^we_\w+: enabled$/)]);
    });

    it('reports the endpoint disabled', async () => {
      const result = await check([{ url, disabled: true }]);
      expect(result.problems).toEqual([
        expect.stringMatching(new RegExp(`^we_\\w+ for ${url} is disabled, not enabled$`)),
      ]);
    });

    it('reports no endpoint for the stack URL', async () => {
      const result = await check([{ url: 'https://elsewhere.example/hook' }]);
      expect(result.problems).toEqual([`Stripe has no webhook endpoint for ${url}`]);
    });
  });

  describe('the health run', () => {
    const ok: HealthCheck = { name: 'ok', run: () => Promise.resolve({ problems: [] }) };
    it('is healthy when every check is quiet', async () => {
      expect((await runHealth('staging', [ok], [])).status).toBe('healthy');
    });

    it('is failing when a check finds a problem or throws, with the secret redacted', async () => {
      const throws: HealthCheck = {
        name: 'database',
        run: () => Promise.reject(new Error('password hunter2pw refused')),
      };
      const result = await runHealth('prod', [ok, throws], ['hunter2pw']);
      expect(result.status).toBe('failing');
      expect(result.report).toContain('### database: FAILING');
      expect(result.report).toContain('the check failed: password [secret] refused');
    });
  });
});
