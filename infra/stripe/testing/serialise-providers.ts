import * as pulumi from '@pulumi/pulumi';
import { StripePlanPrice } from '../plan-price';
import { StripeWebhookEndpoint } from '../webhook-endpoint';

// Prints each Stripe provider as Pulumi serialises it; run under tsx, the loader `pulumi up` uses.
async function main(): Promise<void> {
  const serialised: Record<string, string> = {};
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        serialised[args.name] = args.inputs.__provider as string;
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'read-aloud',
    'staging',
  );
  const apiKey = pulumi.secret('unused');
  const resources = [
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
  await new Promise((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(resolve));
  process.stdout.write(JSON.stringify(serialised));
}

void main();
