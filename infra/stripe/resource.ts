import * as pulumi from '@pulumi/pulumi';

/** A Stripe dynamic resource: the API key always travels and is stored as a secret. */
export abstract class StripeResource extends pulumi.dynamic.Resource {
  protected constructor(
    provider: pulumi.dynamic.ResourceProvider,
    name: string,
    props: { apiKey: pulumi.Input<string> } & pulumi.Inputs,
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
