import assert from 'node:assert/strict';
import Stripe from 'npm:stripe@23.1.0';
import { createStripeWebhookHandler } from './handler.ts';
import { errorOf, post, untouchedDb } from '../testing/helpers.ts';

const secret = 'whsec_unit_test';
const handler = createStripeWebhookHandler({ sql: untouchedDb, webhookSecret: secret });
const payload = JSON.stringify({
  id: 'evt_1',
  object: 'event',
  type: 'customer.subscription.updated',
  data: { object: {} },
});

Deno.test('no signature -> 400 before the database', async () => {
  assert.deepEqual(
    (await errorOf(await handler(post('stripe-webhook', payload)))).code,
    'missing_signature',
  );
});

Deno.test('a signature made with another secret, or for another payload -> 400 before the database', async () => {
  const provider = Stripe.createSubtleCryptoProvider();
  const signed = (body: string, key: string) =>
    Stripe.webhooks.generateTestHeaderStringAsync({
      payload: body,
      secret: key,
      cryptoProvider: provider,
    });
  for (
    const signature of [
      await signed(payload, 'whsec_other'),
      await signed('{}', secret),
      't=1,v1=00',
    ]
  ) {
    const error = await errorOf(
      await handler(post('stripe-webhook', payload, { 'stripe-signature': signature })),
    );
    assert.deepEqual([error.status, error.code], [400, 'invalid_signature']);
  }
});

const provider = Stripe.createSubtleCryptoProvider();
/** Delivers `body` signed with the handler's secret, as Stripe would. */
const deliver = async (to: typeof handler, body: string) =>
  to(
    post('stripe-webhook', body, {
      'stripe-signature': await Stripe.webhooks.generateTestHeaderStringAsync({
        payload: body,
        secret,
        cryptoProvider: provider,
      }),
    }),
  );

const subscriptionEvent = (object: Record<string, unknown>) => ({
  id: 'evt_sub',
  object: 'event',
  type: 'customer.subscription.updated',
  created: 1_790_000_000,
  data: {
    object: {
      id: 'sub_1',
      customer: 'cus_1',
      status: 'active',
      metadata: { user_id: '6f1f5b8e-2c1a-4c4e-9a53-0d1b2c3d4e5f' },
      ...object,
    },
  },
});

Deno.test('signed payloads that are not events -> 400 invalid_event, before the database', async () => {
  const event = {
    id: 'evt_1',
    object: 'event',
    type: 'invoice.paid',
    created: 1,
    data: { object: {} },
  };
  const payloads = [
    'not json',
    'null',
    '[]',
    '"evt_1"',
    '42',
    JSON.stringify({ object: 'v2.core.event', id: 'evt_thin' }),
    JSON.stringify({ ...event, id: 12345 }),
    JSON.stringify({ ...event, id: ['evt_1'] }),
    JSON.stringify({ ...event, id: '' }),
    JSON.stringify({ ...event, type: null }),
    JSON.stringify({ ...event, created: 'yesterday' }),
    JSON.stringify({ ...event, data: null }),
    JSON.stringify({ ...event, data: { object: 'sub_1' } }),
    JSON.stringify(subscriptionEvent({ customer: null })),
    JSON.stringify(subscriptionEvent({ id: 7 })),
    JSON.stringify(subscriptionEvent({ status: 'on_holiday' })),
    JSON.stringify(subscriptionEvent({ items: { data: 'price_1' } })),
    JSON.stringify(subscriptionEvent({ items: { data: [{ price: { id: 5 } }] } })),
    JSON.stringify(subscriptionEvent({ items: { data: [{ current_period_end: 'soon' }] } })),
  ];
  for (const body of payloads) {
    const error = await errorOf(await deliver(handler, body));
    assert.deepEqual([error.status, error.code], [400, 'invalid_event'], body);
  }
});

Deno.test('a 400 for a bad field names the field', async () => {
  const error = await errorOf(
    await deliver(handler, JSON.stringify(subscriptionEvent({ status: 'on_holiday' }))),
  );
  assert.match(error.message, /`data\.object\.status` must be one of .*active/);
});

Deno.test('a database failure is a 500 whose log line names the event', async () => {
  const failingDb = {
    begin: () => Promise.reject(Object.assign(new Error('down'), { name: 'PostgresError' })),
  } as unknown as Parameters<typeof createStripeWebhookHandler>[0]['sql'];
  const failing = createStripeWebhookHandler({ sql: failingDb, webhookSecret: secret });
  const logged: string[] = [];
  const originalError = console.error;
  console.error = (line: string) => logged.push(line);
  try {
    const response = await deliver(failing, JSON.stringify(subscriptionEvent({})));
    assert.equal(response.status, 500);
    await response.body?.cancel();
  } finally {
    console.error = originalError;
  }
  assert.deepEqual(logged.map((line) => JSON.parse(line)), [
    {
      level: 'error',
      event: 'stripe_event_failed',
      id: 'evt_sub',
      type: 'customer.subscription.updated',
      name: 'PostgresError',
    },
  ]);
});
