import { describe, expect, it } from 'vitest';
import { STRIPE_WEBHOOK_EVENTS } from '../../supabase/functions/stripe-webhook/events';
import { createOf, useFakeStripe } from './testing/provider-harness';
import {
  webhookEndpointProvider as provider,
  type WebhookEndpointInputs,
  type WebhookEndpointState,
} from './webhook-endpoint';

const API_KEY = 'sk_test_do_not_print_0123456789';
const URL_STAGING = 'https://stagingrefaaaaaaaaaa.supabase.co/functions/v1/stripe-webhook';

const startStripe = useFakeStripe(API_KEY);

async function start() {
  const { api, target } = await startStripe();
  const inputs: WebhookEndpointInputs = {
    ...target,
    url: URL_STAGING,
    events: [...STRIPE_WEBHOOK_EVENTS],
    description: 'read-aloud staging',
  };
  return { api, inputs };
}

const create = createOf<WebhookEndpointInputs, WebhookEndpointState>(provider);

describe('StripeWebhookEndpoint against a fake Stripe API', () => {
  it('creates the endpoint with exactly the events the function handles and keeps the signing secret it returns once', async () => {
    const { api, inputs } = await start();
    const { id, outs } = await create(inputs);
    expect(outs.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(api.endpoints.get(id)).toMatchObject({
      url: URL_STAGING,
      enabled_events: [...STRIPE_WEBHOOK_EVENTS].sort(),
      status: 'enabled',
    });
    // A read never gets the secret back from Stripe; the state keeps the one from create.
    const read = await provider.read!(id, outs);
    expect(read.props).toEqual(outs);
    expect(JSON.stringify(api.endpoints.get(id))).not.toContain(outs.secret);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/webhook_endpoints',
      `GET /v1/webhook_endpoints/${id}`,
    ]);
  });

  it('updates the events in place, keeping the id and the signing secret', async () => {
    const { api, inputs } = await start();
    const { id, outs } = await create(inputs);
    const news = { ...inputs, events: [...inputs.events, 'invoice.paid'] };
    const diff = await provider.diff!(id, outs, news);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    expect(
      (await provider.diff!(id, outs, { ...inputs, events: [...inputs.events].reverse() })).changes,
    ).toBe(false);
    const updated = await provider.update!(id, outs, news);
    expect(updated.outs).toMatchObject({ secret: outs.secret, events: [...news.events].sort() });
    expect(api.endpoints.get(id)?.enabled_events).toEqual([...news.events].sort());
    expect(api.endpoints.size).toBe(1);
  });

  it('reads drift: a url, events or status changed by hand shows in the read, and the next diff puts it back', async () => {
    const { api, inputs } = await start();
    const { id, outs } = await create(inputs);
    Object.assign(api.endpoints.get(id) as object, {
      url: 'https://elsewhere.example/hook',
      enabled_events: ['charge.succeeded'],
      status: 'disabled',
    });
    const read = await provider.read!(id, outs);
    expect(read.props).toMatchObject({
      url: 'https://elsewhere.example/hook',
      events: ['charge.succeeded'],
      status: 'disabled',
      secret: outs.secret,
    });
    expect((await provider.diff!(id, read.props as WebhookEndpointState, inputs)).changes).toBe(
      true,
    );
    await provider.update!(id, read.props as WebhookEndpointState, inputs);
    expect(api.endpoints.get(id)).toMatchObject({ url: URL_STAGING, status: 'enabled' });
  });

  it('reads an endpoint deleted by hand as gone, so the next up creates it again', async () => {
    const { api, inputs } = await start();
    const { id, outs } = await create(inputs);
    api.endpoints.delete(id);
    expect(await provider.read!(id, outs)).toEqual({});
  });

  it('deletes the endpoint, and a second delete of a gone endpoint succeeds', async () => {
    const { api, inputs } = await start();
    const { id, outs } = await create(inputs);
    await provider.delete!(id, outs);
    expect(api.endpoints.size).toBe(0);
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
  });

  it('retries 429 and 5xx through the client, then succeeds', async () => {
    const { api, inputs } = await start();
    api.fail({
      method: 'POST',
      path: '/v1/webhook_endpoints',
      status: 429,
      headers: { 'stripe-should-retry': 'true' },
    });
    api.fail({ method: 'POST', path: '/v1/webhook_endpoints', status: 503 });
    const { id } = await create(inputs);
    expect(api.requests.map((r) => r.status)).toEqual([429, 503, 200]);
    expect(api.endpoints.has(id)).toBe(true);
  }, 30_000);

  it('fails with the key redacted when Stripe echoes the request back', async () => {
    const { api, inputs } = await start();
    api.fail({ method: 'POST', path: '/v1/webhook_endpoints', status: 400, echo: true });
    const error = (await create(inputs).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('Stripe webhook endpoint create failed: Rejected POST');
    expect(error.message).toContain('[secret]');
    expect(error.message).not.toContain(API_KEY);
    expect(api.endpoints.size).toBe(0);
  });

  it('refuses an invalid url or event list before calling Stripe', async () => {
    const { api, inputs } = await start();
    const check = await provider.check!(inputs, { ...inputs, url: 'not a url', events: [] });
    expect(check.failures?.map((f) => f.property)).toEqual(['url', 'events']);
    expect(api.requests).toEqual([]);
  });
});
