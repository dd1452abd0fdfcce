import type * as pulumi from '@pulumi/pulumi';
import { afterEach } from 'vitest';
import type { StripeTarget } from '../client';
import { startFakeStripe, type FakeStripe } from './fake-stripe';

/** Each call starts a fresh fake Stripe, closed after the test; it returns the target a resource uses. */
export function useFakeStripe(apiKey: string) {
  let fake: FakeStripe | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  return async () => {
    fake = await startFakeStripe({ apiKey });
    const target: StripeTarget = { apiKey, connection: fake.connection };
    return { api: fake, target };
  };
}

/** The provider's create, typed with the state its resource keeps. */
export const createOf =
  <Inputs, State>(provider: pulumi.dynamic.ResourceProvider) =>
  async (inputs: Inputs) =>
    (await provider.create!(inputs)) as { id: string; outs: State };
