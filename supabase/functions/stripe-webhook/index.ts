import { connectDatabase } from '../_shared/db.ts';
import { requireEnv } from '../_shared/env.ts';
import { createStripeWebhookHandler } from './handler.ts';

const env = requireEnv('SUPABASE_DB_URL', 'STRIPE_WEBHOOK_SECRET');

Deno.serve(
  createStripeWebhookHandler({
    sql: connectDatabase(env.SUPABASE_DB_URL),
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
  }),
);
