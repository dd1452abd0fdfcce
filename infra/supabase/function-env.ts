import type * as pulumi from '@pulumi/pulumi';
import type { FunctionEnvName } from '../../supabase/functions/_shared/functions.ts';
import type { StackConfig } from '../config';
import { handlerEnvironment } from '../hf/speech-endpoint';

/** A variable the functions read that Supabase does not provide, so the stack sets it. */
type FunctionSecretName = Exclude<FunctionEnvName, `SUPABASE_${string}`>;

/** Every variable the edge functions read that Supabase does not provide (`SUPABASE_*`). */
export function functionSecretValues({
  settings,
  secrets,
}: StackConfig): Record<FunctionSecretName, pulumi.Input<string>> {
  // The same limits, under the same names, as the stack's speech handler gets.
  const { MAX_TEXT_CHARS, DEFAULT_VOICE } = handlerEnvironment(settings.speechHandler);
  return {
    MAX_TEXT_CHARS,
    DEFAULT_VOICE,
    HF_ENDPOINT_URL: settings.hfEndpointUrl,
    HF_TOKEN: secrets.hfToken,
    STRIPE_WEBHOOK_SECRET: secrets.stripeWebhookSecret,
  };
}
