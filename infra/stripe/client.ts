import type Stripe from 'stripe';
import { redact } from '../redact';

/** Where the Stripe client connects; unset means api.stripe.com. Tests point it at a fake on 127.0.0.1. */
export interface StripeConnection {
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
}

/** What every Stripe resource of the program takes: the stack's API key and where to reach Stripe. */
export interface StripeTarget {
  apiKey: string;
  connection?: StripeConnection;
}

/** The client's own retries (network errors, 409, 5xx, and what the API marks Stripe-Should-Retry, such as 429). */
export const STRIPE_NETWORK_RETRIES = 4;

export class StripeCallError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'StripeCallError';
  }
}

/**
 * Runs one call with the official client; a failure is rethrown with the key and `hidden` values
 * redacted. Dynamic providers are serialised by Pulumi, so the client is required inside the call.
 */
export async function withStripe<T>(
  target: StripeTarget,
  what: string,
  call: (stripe: Stripe) => Promise<T>,
  hidden: (string | undefined)[] = [],
): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const StripeClient = require('stripe') as typeof Stripe;
  const stripe = new StripeClient(target.apiKey, {
    ...target.connection,
    maxNetworkRetries: STRIPE_NETWORK_RETRIES,
    timeout: 30_000,
    telemetry: false,
  });
  try {
    return await call(stripe);
  } catch (error) {
    const { message, statusCode, code } = error as {
      message?: string;
      statusCode?: number;
      code?: string;
    };
    throw new StripeCallError(
      redact(`Stripe ${what} failed: ${message ?? String(error)}`, [target.apiKey, ...hidden]),
      statusCode,
      code,
    );
  }
}

/** A resource someone deleted by hand is gone, not an error, when we delete or read it. */
const isMissing = (error: unknown) =>
  error instanceof StripeCallError &&
  (error.statusCode === 404 || error.code === 'resource_missing');

/** `withStripe` for a read or a delete: `undefined` when the resource is gone. */
export function withStripeUnlessMissing<T>(
  target: StripeTarget,
  what: string,
  call: (stripe: Stripe) => Promise<T>,
): Promise<T | undefined> {
  return withStripe(target, what, call).catch((error: unknown) => {
    if (isMissing(error)) return undefined;
    throw error;
  });
}

/** Whether the resource now reaches Stripe with another key or at another address. */
export const targetChanged = (olds: StripeTarget, news: StripeTarget) =>
  olds.apiKey !== news.apiKey ||
  JSON.stringify(olds.connection ?? {}) !== JSON.stringify(news.connection ?? {});
