import Stripe from 'npm:stripe@23.1.0';
import { UUID } from '../_shared/auth.ts';
import type { Sql, Transaction } from '../_shared/db.ts';
import { HttpError, json, readBody, requirePost, withErrors } from '../_shared/http.ts';
import { log } from '../_shared/log.ts';
import { STRIPE_WEBHOOK_EVENTS } from './events.ts';

const MAX_EVENT_BYTES = 512 * 1024;
const SUBSCRIPTION_EVENTS = new Set<string>(STRIPE_WEBHOOK_EVENTS);
/** The statuses public.subscriptions accepts: Stripe's subscription statuses. */
const SUBSCRIPTION_STATUSES = new Set([
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'paused',
]);
const UNIQUE_VIOLATION = '23505';
/** Stripe's provider for runtimes other than Node: its HMAC check runs on WebCrypto. */
const cryptoProvider = Stripe.createSubtleCryptoProvider();

export interface StripeWebhookDependencies {
  sql: Sql;
  webhookSecret: string;
}

/** What the handler reads of an event, checked: anything else in the payload is ignored. */
export interface WebhookEvent {
  id: string;
  type: string;
  created: number;
  subscription?: SubscriptionChange;
}

interface SubscriptionChange {
  /** Absent when the subscription names no user of ours (not made by our checkout). */
  userId?: string;
  customerId: string;
  subscriptionId: string;
  status: string;
  priceId: string | null;
  currentPeriodEnd: number | null;
}

/**
 * POST /functions/v1/stripe-webhook: verifies Stripe's signature, then applies the event once:
 * its id is recorded in the same transaction as its effect, so a redelivery changes nothing. An
 * event that cannot apply (its user is gone) is recorded and acknowledged, so Stripe stops
 * retrying it.
 */
export function createStripeWebhookHandler({ sql, webhookSecret }: StripeWebhookDependencies) {
  return withErrors(async (req) => {
    requirePost(req);
    const signature = req.headers.get('stripe-signature');
    if (!signature) {
      throw new HttpError(400, 'missing_signature', 'the Stripe-Signature header is required');
    }
    const payload = await readBody(req, MAX_EVENT_BYTES);
    let body: unknown;
    try {
      body = await Stripe.webhooks.constructEventAsync(
        payload,
        signature,
        webhookSecret,
        undefined,
        cryptoProvider,
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        throw new HttpError(
          400,
          'invalid_signature',
          'the Stripe signature does not match this payload',
        );
      }
      // Signed, but not JSON, or a thin (v2) event notification.
      throw new HttpError(400, 'invalid_event', 'the payload is not a Stripe snapshot event');
    }
    const event = parseEvent(body);

    let firstDelivery: boolean;
    try {
      firstDelivery = await sql.begin(async (tx) => {
        const recorded = await tx`
          insert into public.stripe_events (id, type) values (${event.id}, ${event.type})
          on conflict (id) do nothing returning id`;
        if (recorded.length === 0) return false;
        if (event.subscription) await applySubscription(tx, event.subscription, event);
        return true;
      });
    } catch (error) {
      // Stripe will redeliver: the id says which event to look at.
      log('error', 'stripe_event_failed', {
        id: event.id,
        type: event.type,
        name: (error as Error)?.name,
      });
      throw new HttpError(500, 'internal', 'the event could not be stored; it will be retried');
    }
    return json(200, { received: true, duplicate: !firstDelivery });
  });
}

/** Checks a verified payload is an event we can record and apply, or rejects it with 400. */
export function parseEvent(body: unknown): WebhookEvent {
  const event = asObject(body, 'the payload');
  const { id, type, created } = event;
  if (typeof id !== 'string' || id === '' || id.length > 255) {
    throw invalid('`id` must be a non-empty string of at most 255 characters');
  }
  if (typeof type !== 'string' || type === '') {
    throw invalid('`type` must be a non-empty string');
  }
  if (!Number.isSafeInteger(created) || (created as number) < 0) {
    throw invalid('`created` must be a Unix time in seconds');
  }
  const object = asObject(asObject(event.data, '`data`').object, '`data.object`');
  return {
    id,
    type,
    created: created as number,
    subscription: SUBSCRIPTION_EVENTS.has(type)
      ? parseSubscription(object, type === 'customer.subscription.deleted')
      : undefined,
  };
}

function parseSubscription(object: Record<string, unknown>, deleted: boolean): SubscriptionChange {
  const { id, customer, status } = object;
  if (typeof id !== 'string' || id === '') {
    throw invalid('`data.object.id` must be a subscription id');
  }
  const customerId = typeof customer === 'string'
    ? customer
    : (customer as { id?: unknown } | null)?.id;
  if (typeof customerId !== 'string' || customerId === '') {
    throw invalid('`data.object.customer` must be a customer id or a customer');
  }
  if (typeof status !== 'string' || !SUBSCRIPTION_STATUSES.has(status)) {
    throw invalid(`\`data.object.status\` must be one of ${[...SUBSCRIPTION_STATUSES].join(', ')}`);
  }
  const items = (object.items as { data?: unknown } | null)?.data;
  if (items !== undefined && !Array.isArray(items)) {
    throw invalid('`data.object.items.data` must be a list');
  }
  const item = (items?.[0] ?? {}) as { price?: { id?: unknown }; current_period_end?: unknown };
  const priceId = item.price?.id ?? null;
  if (priceId !== null && typeof priceId !== 'string') {
    throw invalid('`data.object.items.data[0].price.id` must be a string');
  }
  const periodEnd = item.current_period_end ?? null;
  if (periodEnd !== null && !Number.isSafeInteger(periodEnd)) {
    throw invalid('`data.object.items.data[0].current_period_end` must be a Unix time');
  }
  const userId = (object.metadata as { user_id?: unknown } | null)?.user_id;
  return {
    userId: typeof userId === 'string' && UUID.test(userId) ? userId : undefined,
    customerId,
    subscriptionId: id,
    status: deleted ? 'canceled' : status,
    priceId,
    currentPeriodEnd: periodEnd as number | null,
  };
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

const invalid = (message: string) => new HttpError(400, 'invalid_event', message);

/**
 * Upserts the user's subscription from the event. The user is named by the subscription's
 * `metadata.user_id` (set at checkout); an older event never overwrites a newer one.
 */
async function applySubscription(
  sql: Transaction,
  subscription: SubscriptionChange,
  event: WebhookEvent,
) {
  const { userId } = subscription;
  if (!userId) {
    log('warn', 'subscription_without_user', { id: event.id });
    return;
  }
  // Locks the profile until commit, so the account cannot be deleted between check and insert.
  const [profile] = await sql`select 1 from public.profiles where id = ${userId} for key share`;
  if (!profile) {
    log('warn', 'subscription_for_deleted_user', { id: event.id });
    return;
  }
  const row = {
    user_id: userId,
    stripe_customer_id: subscription.customerId,
    stripe_subscription_id: subscription.subscriptionId,
    status: subscription.status,
    price_id: subscription.priceId,
    current_period_end: subscription.currentPeriodEnd === null
      ? null
      : new Date(subscription.currentPeriodEnd * 1000),
    last_event_at: new Date(event.created * 1000),
  };
  // A customer or subscription already held by another user cannot apply here; a savepoint keeps
  // the event's record, so Stripe is not sent back to redeliver it for days.
  await sql.savepoint((sp) => upsertSubscription(sp, row)).catch((error) => {
    if ((error as { code?: string })?.code !== UNIQUE_VIOLATION) throw error;
    log('warn', 'subscription_held_by_another_user', { id: event.id });
  });
}

async function upsertSubscription(sql: Transaction, row: Record<string, unknown>) {
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
