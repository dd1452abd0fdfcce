import * as pulumi from '@pulumi/pulumi';
import { printSerialisedProviders } from '../../testing/serialise-providers';
import { StripePlanPrice } from '../plan-price';
import { StripeWebhookEndpoint } from '../webhook-endpoint';

// Prints each Stripe provider as Pulumi serialises it.
void printSerialisedProviders(() => {
  const apiKey = pulumi.secret('unused');
  return [
    new StripeWebhookEndpoint('webhook-endpoint', {
      apiKey,
      url: 'https://unused.example',
      events: ['customer.subscription.created'],
      description: 'unused',
    }),
    new StripePlanPrice('plan', {
      apiKey,
      plan: 'pro',
      name: 'unused',
      amount: 1,
      currency: 'usd',
      interval: 'month',
    }),
  ];
});
