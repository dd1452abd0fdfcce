import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInFreshProcess, serialisedProviders } from '../testing/serialise-providers';
import { startFakeStripe, type FakeStripe } from './testing/fake-stripe';

const API_KEY = 'sk_test_serialised_provider';
let serialised: Map<string, string>;
let api: FakeStripe;

beforeAll(async () => {
  api = await startFakeStripe({ apiKey: API_KEY });
  serialised = serialisedProviders(path.join(__dirname, 'testing/serialise-providers.ts'));
}, 60_000);
afterAll(() => api.close());

const create = (name: string, inputs: unknown) =>
  createInFreshProcess(serialised.get(name) ?? '', inputs);

describe('the Stripe providers as Pulumi serialises them', () => {
  it('create a webhook endpoint from a fresh process with the official client', async () => {
    const run = await create('webhook-endpoint', {
      apiKey: API_KEY,
      connection: api.connection,
      url: 'https://x.supabase.co/functions/v1/stripe-webhook',
      events: ['customer.subscription.created'],
      description: 'staging',
    });
    expect(JSON.parse(run.stdout).outs.secret).toMatch(/^whsec_/);
    expect(api.endpoints.size).toBe(1);
  }, 60_000);

  it('create a plan price from a fresh process', async () => {
    const run = await create('plan', {
      apiKey: API_KEY,
      connection: api.connection,
      plan: 'pro',
      name: 'Pro',
      amount: 900,
      currency: 'usd',
      interval: 'month',
    });
    const { outs } = JSON.parse(run.stdout) as { outs: { priceId: string } };
    expect(api.prices.get(outs.priceId)?.unit_amount).toBe(900);
  }, 60_000);
});
