import Stripe from 'npm:stripe@23.1.0';
import { UUID } from './auth.ts';
import type { Sql, Transaction } from './db.ts';
import { HttpError, json, readBody, requirePost, withErrors } from './http.ts';
import { log } from './log.ts';

const MAX_EVENT_BYTES = 512 * 1024;
const SUBSCRIPTION_EVENTS = new Set([
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
]);
/** Stripe's provider for runtimes other than Node: its HMAC check runs on WebCrypto. */
const cryptoProvider = Stripe.createSubtleCryptoProvider();

export interface StripeWebhookDependencies {
  sql: Sql;
  webhookSecret: string;
}

/**
 * POST /functions/v1/stripe-webhook: verifies Stripe's signature, then applies the event once:
 * its id is recorded in the same transaction as its effect, so a redelivery changes nothing.
 */
export function createStripeWebhookHandler({ sql, webhookSecret }: StripeWebhookDependencies) {
  return withErrors(async (req) => {
    requirePost(req);
    const signature = req.headers.get('stripe-signature');
    if (!signature) {
      throw new HttpError(400, 'missing_signature', 'the Stripe-Signature header is required');
    }
    const payload = await readBody(req, MAX_EVENT_BYTES);
    let event: Stripe.Event;
    try {
      event = await Stripe.webhooks.constructEventAsync(
        payload,
        signature,
        webhookSecret,
        undefined,
        cryptoProvider,
      );
    } catch {
      throw new HttpError(
        400,
        'invalid_signature',
        'the Stripe signature does not match this payload',
      );
    }

    const firstDelivery = await sql.begin(async (tx) => {
      const recorded = await tx`
        insert into public.stripe_events (id, type) values (${event.id}, ${event.type})
        on conflict (id) do nothing returning id`;
      if (recorded.length === 0) return false;
      if (SUBSCRIPTION_EVENTS.has(event.type)) {
        await applySubscription(tx, event.data.object as Stripe.Subscription, event);
      }
      return true;
    });
    return json(200, { received: true, duplicate: !firstDelivery });
  });
}

/**
 * Upserts the user's subscription from the event. The user is named by the subscription's
 * `metadata.user_id` (set at checkout); an older event never overwrites a newer one.
 */
async function applySubscription(
  sql: Transaction,
  subscription: Stripe.Subscription,
  event: Stripe.Event,
) {
  const userId = subscription.metadata?.user_id;
  if (!userId || !UUID.test(userId)) {
    log('warn', 'subscription_without_user', { id: event.id });
    return;
  }
  const item = subscription.items?.data?.[0];
  const row = {
    user_id: userId,
    stripe_customer_id: typeof subscription.customer === 'string'
      ? subscription.customer
      : subscription.customer.id,
    stripe_subscription_id: subscription.id,
    status: event.type === 'customer.subscription.deleted' ? 'canceled' : subscription.status,
    price_id: item?.price?.id ?? null,
    current_period_end: item?.current_period_end ? new Date(item.current_period_end * 1000) : null,
    last_event_at: new Date(event.created * 1000),
  };
  await sql`
    insert into public.subscriptions ${sql(row)}
    on conflict (user_id) do update set
      stripe_customer_id = excluded.stripe_customer_id,
      stripe_subscription_id = excluded.stripe_subscription_id,
      status = excluded.status,
      price_id = excluded.price_id,
      current_period_end = excluded.current_period_end,
      last_event_at = excluded.last_event_at,
      updated_at = now()
    where public.subscriptions.last_event_at <= excluded.last_event_at`;
}
