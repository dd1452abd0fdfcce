import * as pulumi from '@pulumi/pulumi';
import type Stripe from 'stripe';
import { targetChanged, withStripe, withStripeUnlessMissing, type StripeTarget } from './client';
import { StripeResource, type StripeResourceArgs } from './resource';

/** What a plan costs: a change to any of these is a new Stripe price (a price is immutable). */
export interface PriceTerms {
  amount: number;
  currency: string;
  interval: 'month' | 'year';
}

export interface PlanPriceInputs extends StripeTarget, PriceTerms {
  /** The plan's key in stack config; also the price's lookup key. */
  plan: string;
  /** The product name customers see. */
  name: string;
}

export interface PlanPriceState extends PlanPriceInputs {
  productId: string;
  priceId: string;
  /** Whether Stripe still sells the price (false once archived, by us or by hand). */
  active: boolean;
}

const termsOf = ({ amount, currency, interval }: PriceTerms) =>
  JSON.stringify({ amount, currency, interval });

// The lookup key moves to the newest price, so checkout finds the current one by plan.
const createPrice = (stripe: Stripe, productId: string, inputs: PlanPriceInputs) =>
  stripe.prices.create({
    product: productId,
    unit_amount: inputs.amount,
    currency: inputs.currency,
    recurring: { interval: inputs.interval },
    lookup_key: inputs.plan,
    transfer_lookup_key: true,
    metadata: { plan: inputs.plan },
  });

export const planPriceProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: PlanPriceInputs, news: PlanPriceInputs) {
    const failures = [
      ...(Number.isInteger(news.amount) && news.amount >= 0
        ? []
        : [
            {
              property: 'amount',
              reason: 'amount must be a whole number of the smallest currency unit',
            },
          ]),
      ...(/^[a-z]{3}$/.test(news.currency)
        ? []
        : [{ property: 'currency', reason: 'currency must be a lower-case ISO code such as usd' }]),
    ];
    return { inputs: news, failures };
  },

  async create(inputs: PlanPriceInputs) {
    const { product, price } = await withStripe(
      inputs,
      `plan ${inputs.plan} create`,
      async (stripe) => {
        const product = await stripe.products.create({
          name: inputs.name,
          metadata: { plan: inputs.plan },
        });
        return { product, price: await createPrice(stripe, product.id, inputs) };
      },
    );
    const outs: PlanPriceState = {
      ...inputs,
      productId: product.id,
      priceId: price.id,
      active: price.active,
    };
    return { id: product.id, outs };
  },

  async read(id: string, props: PlanPriceState) {
    const found = await withStripeUnlessMissing(
      props,
      `plan ${props.plan} read`,
      async (stripe) => ({
        product: await stripe.products.retrieve(id),
        price: await stripe.prices.retrieve(props.priceId),
      }),
    );
    if (!found) return {};
    const { product, price } = found;
    return {
      id,
      props: {
        ...props,
        name: product.name,
        amount: price.unit_amount ?? 0,
        currency: price.currency,
        interval: price.recurring?.interval ?? props.interval,
        active: price.active && product.active,
      },
    };
  },

  async diff(_id: string, olds: PlanPriceState, news: PlanPriceInputs) {
    const changes =
      termsOf(olds) !== termsOf(news) ||
      olds.name !== news.name ||
      !olds.active ||
      targetChanged(olds, news);
    // Another plan key is another product.
    const replaces = olds.plan === news.plan ? [] : ['plan'];
    return { changes: changes || replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  async update(id: string, olds: PlanPriceState, news: PlanPriceInputs) {
    const newTerms = termsOf(olds) !== termsOf(news) || !olds.active;
    const priceId = await withStripe(news, `plan ${news.plan} update`, async (stripe) => {
      await stripe.products.update(id, { name: news.name, active: true });
      if (!newTerms) return olds.priceId;
      const price = await createPrice(stripe, id, news);
      // Subscribers stay on the old price; it is only no longer sold.
      await stripe.prices.update(olds.priceId, { active: false });
      return price.id;
    });
    const outs: PlanPriceState = { ...news, productId: id, priceId, active: true };
    return { outs };
  },

  async delete(id: string, props: PlanPriceState) {
    // Stripe refuses to delete a product with prices: archive both.
    await withStripeUnlessMissing(props, `plan ${props.plan} archive`, async (stripe) => {
      await stripe.prices.update(props.priceId, { active: false });
      await stripe.products.update(id, { active: false });
    });
  },
};

export interface StripePlanPriceArgs extends StripeResourceArgs, PriceTerms {
  plan: string;
  name: string;
}

/** One plan's product and its current recurring price; `priceId` follows the declared amount. */
export class StripePlanPrice extends StripeResource {
  declare readonly productId: pulumi.Output<string>;
  declare readonly priceId: pulumi.Output<string>;

  constructor(name: string, args: StripePlanPriceArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { productId: undefined, priceId: undefined, active: undefined };
    super(planPriceProvider, name, { ...args, ...outputs }, opts);
  }
}
