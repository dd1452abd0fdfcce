import * as pulumi from '@pulumi/pulumi';
import type { StackSettings } from '../config';
import type { StripeConnection } from './client';
import { StripePlanPrice } from './plan-price';
import { StripeWebhookEndpoint } from './webhook-endpoint';

/** A plan's current price and what it buys: a row of the backend's plan_prices table. */
export interface PlanPriceRow {
  priceId: string;
  plan: string;
  monthlyCharacters: number;
}

export interface StripeBillingArgs {
  apiKey: pulumi.Output<string>;
  /** Unset: api.stripe.com. */
  connection?: StripeConnection;
  /** The stack's stripe-webhook function URL. */
  webhookUrl: string;
  /** The events that function applies. */
  events: readonly string[];
  plans: StackSettings['stripePlans'];
  description: string;
}

/** The stack's Stripe account as code: the webhook endpoint, and one product and price per plan. */
export class StripeBilling extends pulumi.ComponentResource {
  /** The webhook signing secret Stripe returned on create. */
  readonly webhookSecret: pulumi.Output<string>;
  readonly planPrices: pulumi.Output<PlanPriceRow[]>;

  constructor(name: string, args: StripeBillingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('read-aloud:stripe:StripeBilling', name, {}, opts);
    const target = {
      apiKey: args.apiKey,
      ...(args.connection ? { connection: args.connection } : {}),
    };

    const endpoint = new StripeWebhookEndpoint(
      'webhook-endpoint',
      { ...target, url: args.webhookUrl, events: args.events, description: args.description },
      { parent: this },
    );
    this.webhookSecret = pulumi.secret(endpoint.secret);

    const rows = Object.entries(args.plans).map(([plan, { monthlyCharacters, ...terms }]) => {
      const price = new StripePlanPrice(
        `plan-${plan}`,
        { ...target, plan, ...terms },
        { parent: this },
      );
      return pulumi.output({ priceId: price.priceId, plan, monthlyCharacters });
    });
    this.planPrices = pulumi.all(rows);
    this.registerOutputs({ webhookSecret: this.webhookSecret, planPrices: this.planPrices });
  }
}
