import * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { targetChanged, withStripe, withStripeUnlessMissing, type StripeTarget } from './client';
import { StripeResource, type StripeResourceArgs } from './resource';

export interface WebhookEndpointInputs extends StripeTarget {
  /** The stack's stripe-webhook function URL. */
  url: string;
  /** Exactly the events that function applies. */
  events: string[];
  description: string;
}

export interface WebhookEndpointState extends WebhookEndpointInputs {
  /** The signing secret: Stripe returns it on create only, so it is kept from then on. */
  secret: string;
  /** `enabled` or `disabled`, as Stripe reports it. */
  status: string;
}

/** What Pulumi keeps: what Stripe reports, and the signing secret it returned on create. */
const stateOf = (
  inputs: WebhookEndpointInputs,
  endpoint: Stripe.WebhookEndpoint,
  secret: string,
): WebhookEndpointState => ({
  ...inputs,
  events: endpoint.enabled_events,
  secret,
  status: endpoint.status,
});

const sorted = (events: string[]) => [...events].sort();
const sameEvents = (a: string[], b: string[]) =>
  JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

export const webhookEndpointProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: WebhookEndpointInputs, news: WebhookEndpointInputs) {
    const failures = [
      ...(URL.canParse(news.url)
        ? []
        : [{ property: 'url', reason: 'url must be an absolute URL' }]),
      ...(Array.isArray(news.events) &&
      news.events.length > 0 &&
      news.events.every((e) => /^[a-z_]+(\.[a-z_]+)+$/.test(e))
        ? []
        : [
            { property: 'events', reason: 'events must be a non-empty list of Stripe event types' },
          ]),
    ];
    return { inputs: news, failures };
  },

  async create(inputs: WebhookEndpointInputs) {
    const created = await withStripe(inputs, 'webhook endpoint create', (stripe) =>
      stripe.webhookEndpoints.create({
        url: inputs.url,
        enabled_events: sorted(inputs.events) as never,
        description: inputs.description,
      }),
    );
    if (!created.secret) {
      throw new Error(`Stripe created webhook endpoint ${created.id} without a signing secret`);
    }
    return { id: created.id, outs: stateOf(inputs, created, created.secret) };
  },

  async read(id: string, props: WebhookEndpointState) {
    const endpoint = await withStripeUnlessMissing(props, 'webhook endpoint read', (stripe) =>
      stripe.webhookEndpoints.retrieve(id),
    );
    // Gone: an empty read tells Pulumi to recreate it.
    if (!endpoint) return {};
    return {
      id,
      props: {
        ...props,
        url: endpoint.url,
        events: endpoint.enabled_events,
        description: endpoint.description ?? '',
        status: endpoint.status,
      },
    };
  },

  async diff(_id: string, olds: WebhookEndpointState, news: WebhookEndpointInputs) {
    const changed = [
      olds.url !== news.url ? 'url' : '',
      sameEvents(olds.events, news.events) ? '' : 'events',
      olds.description !== news.description ? 'description' : '',
      olds.status !== 'enabled' ? 'status' : '',
      targetChanged(olds, news) ? 'target' : '',
    ].filter(Boolean);
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async update(id: string, olds: WebhookEndpointState, news: WebhookEndpointInputs) {
    const updated = await withStripe(news, 'webhook endpoint update', (stripe) =>
      stripe.webhookEndpoints.update(id, {
        url: news.url,
        enabled_events: sorted(news.events) as never,
        description: news.description,
        disabled: false,
      }),
    );
    return { outs: stateOf(news, updated, olds.secret) };
  },

  async delete(id: string, props: WebhookEndpointState) {
    await withStripeUnlessMissing(props, 'webhook endpoint delete', (stripe) =>
      stripe.webhookEndpoints.del(id),
    );
  },
};

export interface StripeWebhookEndpointArgs extends StripeResourceArgs {
  url: pulumi.Input<string>;
  events: readonly string[];
  description: string;
}

/** Stripe's webhook endpoint for the stack's stripe-webhook function; `secret` is its signing secret. */
export class StripeWebhookEndpoint extends StripeResource {
  declare readonly secret: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: StripeWebhookEndpointArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { ...args, events: [...args.events], secret: undefined, status: undefined };
    super(webhookEndpointProvider, name, props, opts, ['secret']);
  }
}
