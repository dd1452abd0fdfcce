import assert from 'node:assert/strict';
import Stripe from 'npm:stripe@23.1.0';
import { createStripeWebhookHandler } from './stripe-webhook.ts';
import { errorOf, post, untouchedDb } from './testing.ts';

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
