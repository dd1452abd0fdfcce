import { connectDatabase } from '../_shared/db.ts';
import { requireEnv } from '../_shared/env.ts';
import { FUNCTION_ENV } from '../_shared/functions.ts';
import { createStripeWebhookHandler } from './handler.ts';

const env = requireEnv(...FUNCTION_ENV['stripe-webhook']);

Deno.serve(
  createStripeWebhookHandler({
    sql: connectDatabase(env.SUPABASE_DB_URL),
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
  }),
);
