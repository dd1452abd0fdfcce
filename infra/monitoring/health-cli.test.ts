import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../scripts/local-backend';
import { startFakeHfEndpoints, type FakeHfEndpoints } from '../hf/testing/fake-hf-endpoints';
import { startFakeStripe, type FakeStripe } from '../stripe/testing/fake-stripe';
import { functionUrl } from '../supabase/project';
import { stackSettings } from './cli-common';
import { main } from './health-cli';
import { FakeGitHub } from './testing/fake-github';

describe('npm run health against the local backend', () => {
  let backend: LocalBackend;
  let hf: FakeHfEndpoints;
  let github: FakeGitHub;
  let stripe: FakeStripe;
  let webhookEndpointId: string;
  let env: Record<string, string>;
  const { monitoring, supabaseProjectRef } = stackSettings('prod');
  const STRIPE_KEY = 'sk_test_health_cli_fake_key';

  beforeAll(async () => {
    backend = await startLocalBackend();
    hf = await startFakeHfEndpoints({
      token: backend.speechEndpoint.token,
      namespace: 'read-aloud',
      name: 'kokoro-prod',
      image: `ghcr.io/read-aloud/kokoro-handler@sha256:${'d'.repeat(64)}`,
    });
    github = await new FakeGitHub('read-aloud', 'read-aloud').start();
    stripe = await startFakeStripe({ apiKey: STRIPE_KEY });
    // The endpoint `pulumi up` created for the stack's stripe-webhook function.
    ({ id: webhookEndpointId } = await new Stripe(
      STRIPE_KEY,
      stripe.connection,
    ).webhookEndpoints.create({
      url: functionUrl(supabaseProjectRef, 'stripe-webhook'),
      enabled_events: ['customer.subscription.updated'],
    }));
    env = {
      HF_TOKEN: backend.speechEndpoint.token,
      HF_ENDPOINTS_API_URL: hf.apiBase,
      HF_ENDPOINT_URL: backend.speechEndpoint.url,
      SUPABASE_URL: backend.url,
      SUPABASE_DB_URL: backend.dbUrl,
      GITHUB_TOKEN: github.token,
      GITHUB_REPOSITORY: 'read-aloud/read-aloud',
      GITHUB_API_URL: github.url,
      STRIPE_API_KEY: STRIPE_KEY,
      STRIPE_API_URL: `http://127.0.0.1:${stripe.connection.port}`,
    };
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
  }, 120_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await Promise.all([hf?.close(), github?.stop(), stripe?.close()]);
    await backend?.stop();
  });

  const health = (...extra: string[]) => main(['--stack', 'prod', '--issue', ...extra], env);

  it('uses the defaults where the stack sets none, and prod pages', () => {
    expect(monitoring).toMatchObject({ healthSchedule: '*/15 * * * *', page: true });
    expect(stackSettings('staging').monitoring.page).toBe(false);
  });

  it('exits 0 and opens nothing when every check is quiet', async () => {
    expect(await health()).toBe(0);
    expect(github.issues).toEqual([]);
  }, 60_000);

  it('skips a run started by another schedule than the stack health schedule', async () => {
    const before = backend.speechEndpoint.requests.length;
    expect(await health('--schedule', '0 3 * * *')).toBe(0);
    expect(backend.speechEndpoint.requests.length).toBe(before);
  });

  it('checks the stack on a manual run, which passes an empty schedule', async () => {
    const before = backend.speechEndpoint.requests.length;
    expect(await health('--schedule', '')).toBe(0);
    expect(backend.speechEndpoint.requests.length).toBe(before + 1);
  }, 60_000);

  it('on an error report spike, exits 3 and opens the prod health issue with the page label', async () => {
    await backend.sql`
      insert into public.error_reports (reporter, message)
      select 'ip:spike', 'TypeError' from generate_series(1, ${monitoring.errorReportsPerHour + 1})`;
    expect(await health()).toBe(3);
    expect(github.issues).toMatchObject([
      { state: 'open', labels: [{ name: 'health:prod' }, { name: 'page' }] },
    ]);
    expect(github.issues[0]!.body).toContain(
      `${monitoring.errorReportsPerHour + 1} error reports in the last hour`,
    );
  }, 60_000);

  it('reports a failed Stripe delivery and a disabled webhook endpoint on the same issue', async () => {
    await backend.sql`delete from public.error_reports`;
    const hoursAgo = (hours: number) => Math.floor(Date.now() / 1000) - hours * 3600;
    stripe.events.push(
      { id: 'evt_seen', type: 'invoice.paid', created: hoursAgo(3), pending_webhooks: 0 },
      { id: 'evt_refused', type: 'invoice.paid', created: hoursAgo(2), pending_webhooks: 1 },
    );
    await backend.sql`insert into public.stripe_events (id, type) values ('evt_seen', 'invoice.paid')`;
    stripe.endpoints.get(webhookEndpointId)!.status = 'disabled';
    expect(await health()).toBe(3);
    expect(github.issues).toHaveLength(1);
    const body = github.issues[0]!.body;
    expect(body).toContain(
      '- evt_refused (invoice.paid): delivery failing, Stripe still retries it',
    );
    expect(body).toContain(
      `- ${webhookEndpointId} for ${functionUrl(supabaseProjectRef, 'stripe-webhook')} is disabled, not enabled`,
    );
    expect(body).not.toContain('evt_seen (');
  }, 60_000);

  it('closes the issue when the next run is healthy, never showing a key', async () => {
    stripe.events.splice(1);
    stripe.endpoints.get(webhookEndpointId)!.status = 'enabled';
    expect(await health()).toBe(0);
    expect(github.issues[0]).toMatchObject({ state: 'closed' });
    const everything = JSON.stringify(github.issues);
    for (const secret of [backend.speechEndpoint.token, STRIPE_KEY]) {
      expect(everything).not.toContain(secret);
    }
  }, 60_000);

  it('reports a Stripe API error without showing the key the error quotes', async () => {
    const printed = vi.mocked(console.log);
    printed.mockClear();
    stripe.fail({ method: 'GET', path: '/v1/webhook_endpoints', status: 400, echo: true });
    expect(await main(['--stack', 'prod'], env)).toBe(3);
    const report = printed.mock.calls.flat().join('\n');
    expect(report).toContain('### Stripe webhook endpoint: FAILING');
    expect(report).toContain('the check failed: Stripe webhook endpoint list failed: Rejected GET');
    expect(report).not.toContain(STRIPE_KEY);
  }, 60_000);

  it('fails the Stripe check, naming STRIPE_API_KEY, when the key is not given', async () => {
    const printed = vi.mocked(console.log);
    printed.mockClear();
    const { STRIPE_API_KEY: _unset, ...withoutKey } = env;
    expect(await main(['--stack', 'prod'], withoutKey)).toBe(3);
    expect(printed.mock.calls.flat().join('\n')).toContain(
      '### Stripe: FAILING\n\n- the check failed: STRIPE_API_KEY is not set',
    );
  }, 60_000);
});
