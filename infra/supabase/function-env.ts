import type * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../config';

/** Every variable the edge functions read that Supabase does not provide (`SUPABASE_*`). */
export function functionSecretValues({
  settings,
  secrets,
}: StackConfig): Record<string, pulumi.Input<string>> {
  return {
    HF_ENDPOINT_URL: settings.hfEndpointUrl,
    HF_TOKEN: secrets.hfToken,
    STRIPE_WEBHOOK_SECRET: secrets.stripeWebhookSecret,
  };
}
