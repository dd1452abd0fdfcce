import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../scripts/local-backend';
import { createUser } from '../../scripts/local-backend/users';
import { START_TIMEOUT_MS } from './database';

describe('stripe-webhook over HTTP on the local backend', () => {
  let backend: LocalBackend;
  let userId: string;

  beforeAll(async () => {
    backend = await startLocalBackend();
    userId = await createUser(backend.sql, 'subscriber@example.com');
  }, START_TIMEOUT_MS);
  afterAll(() => backend?.stop());

  /** A subscription event as Stripe sends it (the fields we read), created at `created` (s). */
  const subscriptionEvent = (
    id: string,
    type: string,
    status: string,
    created: number,
    user = userId,
  ) => ({
    id,
    object: 'event',
    type,
    created,
    data: {
      object: {
        id: 'sub_123',
        object: 'subscription',
        customer: 'cus_123',
        status,
        metadata: { user_id: user },
        items: {
          data: [{ price: { id: 'price_pro' }, current_period_end: created + 30 * 86_400 }],
        },
      },
    },
  });
  const deliver = async (event: object, secret = backend.stripeWebhookSecret) => {
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    return fetch(`${backend.url}/functions/v1/stripe-webhook`, {
      method: 'POST',
      headers: { 'stripe-signature': signature, 'content-type': 'application/json' },
      body: payload,
    });
  };
  const subscription = async () =>
    (
      await backend.sql`select status, price_id, updated_at from public.subscriptions where user_id = ${userId}`
    )[0];
  const eventCount = async () =>
    (await backend.sql`select count(*)::int as n from public.stripe_events`)[0]!.n as number;
  const now = Math.floor(Date.now() / 1000);

  it('a bad signature is refused with 400 and nothing is written', async () => {
    const event = subscriptionEvent('evt_forged', 'customer.subscription.created', 'active', now);
    const response = await deliver(event, 'whsec_not_ours');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_signature',
    );
    expect(await eventCount()).toBe(0);
    expect(await subscription()).toBeUndefined();
  });

  it("a subscription event is applied and raises the quota, this month's row included", async () => {
    await backend.sql`select public.charge_characters(${userId}, 10)`;
    const response = await deliver(
      subscriptionEvent('evt_1', 'customer.subscription.created', 'active', now - 100),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    expect(await subscription()).toMatchObject({ status: 'active', price_id: 'price_pro' });
    const [quota] = await backend.sql`select public.monthly_quota(${userId}) as quota`;
    expect(quota!.quota).toBe(1_000_000);
    const [row] = await backend.sql`select quota from public.usage where user_id = ${userId}`;
    expect(row!.quota).toBe(1_000_000);
  });

  it('the same event twice has one effect', async () => {
    const event = subscriptionEvent('evt_2', 'customer.subscription.updated', 'past_due', now - 50);
    expect(await (await deliver(event)).json()).toEqual({ received: true, duplicate: false });
    const applied = await subscription();
    const events = await eventCount();

    const again = await deliver(event);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(await subscription()).toEqual(applied);
    expect(await eventCount()).toBe(events);
  });

  it('parallel redeliveries of one event are applied once', async () => {
    const event = subscriptionEvent('evt_3', 'customer.subscription.updated', 'active', now - 40);
    const bodies = await Promise.all([1, 2, 3].map(async () => (await deliver(event)).json()));
    expect(bodies.filter((b) => (b as { duplicate: boolean }).duplicate === false)).toHaveLength(1);
  });

  it('an older event arriving late does not undo a newer one', async () => {
    await deliver(
      subscriptionEvent('evt_4', 'customer.subscription.deleted', 'canceled', now - 10),
    );
    await deliver(
      subscriptionEvent('evt_late', 'customer.subscription.updated', 'active', now - 30),
    );
    expect(await subscription()).toMatchObject({ status: 'canceled' });
  });

  it('other event types are acknowledged and recorded without effect', async () => {
    const before = await subscription();
    const response = await deliver({
      id: 'evt_invoice',
      object: 'event',
      type: 'invoice.paid',
      created: now,
      data: { object: {} },
    });
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    expect(await subscription()).toEqual(before);
  });

  it('a signed payload that is not an event is refused with 400 and nothing is stored', async () => {
    const events = await eventCount();
    for (const body of [
      null,
      ['evt_x'],
      { id: 4242, type: 'invoice.paid', created: now, data: { object: {} } },
    ]) {
      const response = await deliver(body as object);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'invalid_event',
      );
    }
    expect(await eventCount()).toBe(events);
    expect(await backend.sql`select 1 from public.stripe_events where id = '4242'`).toEqual([]);
  });

  it.each([
    [
      'for a deleted account',
      'evt_gone',
      'customer.subscription.updated',
      async () => {
        const gone = await createUser(backend.sql, 'gone@example.com');
        await backend.sql`delete from auth.users where id = ${gone}`;
        return gone;
      },
    ],
    [
      "giving one user's Stripe customer to another",
      'evt_taken',
      'customer.subscription.created',
      () => createUser(backend.sql, 'other@example.com'),
    ],
  ])(
    'an event %s is recorded and acknowledged, and so is its redelivery, without effect',
    async (_what, id, type, userFor) => {
      const before = await subscription();
      const user = await userFor();
      const event = subscriptionEvent(id, type, 'active', now, user);
      const first = await deliver(event);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ received: true, duplicate: false });
      const again = await deliver(event);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ received: true, duplicate: true });
      expect(await backend.sql`select id from public.stripe_events where id = ${id}`).toHaveLength(
        1,
      );
      expect(await backend.sql`select 1 from public.subscriptions where user_id = ${user}`).toEqual(
        [],
      );
      expect(await subscription()).toEqual(before);
    },
  );
});
