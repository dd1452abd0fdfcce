import type * as pulumi from '@pulumi/pulumi';

/** What the functions read that other resources produce or the stack holds as secrets. */
export interface FunctionSecretSources {
  /** The speech endpoint's URL, an output of its rollout. */
  endpointUrl: pulumi.Input<string>;
  /** The Hugging Face token that can only call the endpoint. */
  inferenceToken: pulumi.Input<string>;
  /** Stripe's webhook signing secret, an output of the webhook endpoint's create. */
  webhookSecret: pulumi.Input<string>;
}

/** Every variable the edge functions read that Supabase does not provide (`SUPABASE_*`). */
export function functionSecretValues(
  sources: FunctionSecretSources,
): Record<string, pulumi.Input<string>> {
  return {
    HF_ENDPOINT_URL: sources.endpointUrl,
    HF_TOKEN: sources.inferenceToken,
    STRIPE_WEBHOOK_SECRET: sources.webhookSecret,
  };
}
