import { describe, expect, it } from 'vitest';
import {
  planPriceProvider as provider,
  type PlanPriceInputs,
  type PlanPriceState,
} from './plan-price';
import { createOf, useFakeStripe } from './testing/provider-harness';

const API_KEY = 'sk_test_plans_do_not_print';

const startStripe = useFakeStripe(API_KEY);

async function start() {
  const { api, target } = await startStripe();
  const inputs: PlanPriceInputs = {
    ...target,
    plan: 'pro',
    name: 'Read-aloud Pro',
    amount: 900,
    currency: 'usd',
    interval: 'month',
  };
  return { api, inputs };
}

const create = createOf<PlanPriceInputs, PlanPriceState>(provider);

describe('StripePlanPrice against a fake Stripe API', () => {
  it('creates the product and its recurring price, looked up by the plan key', async () => {
    const { api, inputs } = await start();
    const { id, outs } = await create(inputs);
    expect(api.products.get(id)).toMatchObject({ name: 'Read-aloud Pro', active: true });
    expect(api.prices.get(outs.priceId)).toMatchObject({
      product: id,
      unit_amount: 900,
      currency: 'usd',
      recurring: { interval: 'month' },
      lookup_key: 'pro',
      active: true,
    });
    expect(outs).toMatchObject({ productId: id, active: true });
  });

  it('a changed amount creates a new price and archives the old one; the product stays', async () => {
    const { api, inputs } = await start();
    const { id, outs } = await create(inputs);
    const news = { ...inputs, amount: 1200 };
    expect(await provider.diff!(id, outs, news)).toMatchObject({ changes: true, replaces: [] });
    const { outs: updated } = (await provider.update!(id, outs, news)) as { outs: PlanPriceState };
    expect(updated.priceId).not.toBe(outs.priceId);
    expect(api.prices.get(outs.priceId)).toMatchObject({
      active: false,
      unit_amount: 900,
      lookup_key: null,
    });
    expect(api.prices.get(updated.priceId)).toMatchObject({
      active: true,
      unit_amount: 1200,
      lookup_key: 'pro',
    });
    expect(api.products.size).toBe(1);
    // No price was ever edited in place: Stripe refuses that.
    expect(api.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('a new name alone renames the product and keeps the price', async () => {
    const { api, inputs } = await start();
    const { id, outs } = await create(inputs);
    const { outs: updated } = (await provider.update!(id, outs, { ...inputs, name: 'Pro' })) as {
      outs: PlanPriceState;
    };
    expect(updated.priceId).toBe(outs.priceId);
    expect(api.products.get(id)?.name).toBe('Pro');
    expect(api.prices.size).toBe(1);
  });

  it('reads drift: a price archived by hand reads inactive and the next update sells a new one', async () => {
    const { api, inputs } = await start();
    const { id, outs } = await create(inputs);
    Object.assign(api.prices.get(outs.priceId) as object, { active: false });
    const read = await provider.read!(id, outs);
    expect(read.props).toMatchObject({ amount: 900, currency: 'usd', active: false });
    expect((await provider.diff!(id, read.props as PlanPriceState, inputs)).changes).toBe(true);
    const { outs: updated } = (await provider.update!(
      id,
      read.props as PlanPriceState,
      inputs,
    )) as {
      outs: PlanPriceState;
    };
    expect(api.prices.get(updated.priceId)?.active).toBe(true);
    expect((await provider.diff!(id, updated, inputs)).changes).toBe(false);
  });

  it('delete archives the price and the product (Stripe keeps them for past invoices)', async () => {
    const { api, inputs } = await start();
    const { id, outs } = await create(inputs);
    await provider.delete!(id, outs);
    expect(api.products.get(id)?.active).toBe(false);
    expect(api.prices.get(outs.priceId)?.active).toBe(false);
  });

  it('retries a 429 and a 500 through the client', async () => {
    const { api, inputs } = await start();
    api.fail({
      method: 'POST',
      path: '/v1/prices',
      status: 429,
      headers: { 'stripe-should-retry': 'true' },
    });
    api.fail({ method: 'POST', path: '/v1/products', status: 500 });
    const { outs } = await create(inputs);
    expect(api.requests.map((r) => `${r.status} ${r.path}`)).toEqual([
      '500 /v1/products',
      '200 /v1/products',
      '429 /v1/prices',
      '200 /v1/prices',
    ]);
    expect(api.prices.get(outs.priceId)?.active).toBe(true);
  }, 30_000);

  it('an error never carries the API key', async () => {
    const { api, inputs } = await start();
    api.fail({ method: 'POST', path: '/v1/products', status: 400, echo: true });
    const error = (await create(inputs).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^Stripe plan pro create failed: Rejected POST/);
    expect(error.message).not.toContain(API_KEY);
  });

  it('refuses a fractional amount or an invalid currency before calling Stripe', async () => {
    const { api, inputs } = await start();
    const check = await provider.check!(inputs, { ...inputs, amount: 9.5, currency: 'USD' });
    expect(check.failures?.map((f) => f.property)).toEqual(['amount', 'currency']);
    expect(api.requests).toEqual([]);
  });
});
