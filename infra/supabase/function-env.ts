import type * as pulumi from '@pulumi/pulumi';
import type { FunctionEnvName } from '../../supabase/functions/_shared/functions.ts';
import type { StackSettings } from '../config';
import { handlerEnvironment } from '../hf/speech-endpoint';

/** A variable the functions read that Supabase does not provide, so the stack sets it. */
type FunctionSecretName = Exclude<FunctionEnvName, `SUPABASE_${string}`>;

/** What the functions read that other resources produce or the stack holds as secrets. */
export interface FunctionSecretSources {
  /** The stack's speech handler settings: the functions enforce the same limits. */
  speechHandler: StackSettings['speechHandler'];
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
): Record<FunctionSecretName, pulumi.Input<string>> {
  // The same limits, under the same names, as the stack's speech handler gets.
  const { MAX_TEXT_CHARS, DEFAULT_VOICE } = handlerEnvironment(sources.speechHandler);
  return {
    MAX_TEXT_CHARS,
    DEFAULT_VOICE,
    HF_ENDPOINT_URL: sources.endpointUrl,
    HF_TOKEN: sources.inferenceToken,
    STRIPE_WEBHOOK_SECRET: sources.webhookSecret,
  };
}
