import * as pulumi from '@pulumi/pulumi';
import type { StripeConnection } from './client';

/** What every Stripe resource takes: the stack's API key and where to reach Stripe. */
export interface StripeResourceArgs {
  apiKey: pulumi.Input<string>;
  connection?: StripeConnection;
}

/** A Stripe dynamic resource: the API key always travels and is stored as a secret. */
export abstract class StripeResource extends pulumi.dynamic.Resource {
  protected constructor(
    provider: pulumi.dynamic.ResourceProvider,
    name: string,
    props: StripeResourceArgs & pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
    secretOutputs: string[] = [],
  ) {
    super(
      provider,
      name,
      { ...props, apiKey: pulumi.secret(props.apiKey) },
      { ...opts, additionalSecretOutputs: ['apiKey', ...secretOutputs] },
    );
  }
}
