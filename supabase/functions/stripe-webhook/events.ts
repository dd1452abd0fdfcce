// The Stripe events the stripe-webhook function applies, and the ones its Stripe webhook endpoint
// subscribes to: one list, imported by the function (Deno) and by the Pulumi program (Node).
export const STRIPE_WEBHOOK_EVENTS = [
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
] as const;
