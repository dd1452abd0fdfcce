import type * as pulumi from '@pulumi/pulumi';
import { SECRETS, secretKeys, type StackConfig } from '../config';

/** The secrets and variables a deploy of this stack reads from its GitHub environment. */
export function deployEnvironment({ stack, settings, secrets }: StackConfig): {
  secrets: Record<string, pulumi.Output<string>>;
  variables: Record<string, string>;
} {
  return {
    secrets: Object.fromEntries(secretKeys.map((key) => [SECRETS[key].githubSecret, secrets[key]])),
    variables: {
      PULUMI_STACK: stack,
      SUPABASE_PROJECT_REF: settings.supabaseProjectRef,
      HF_ENDPOINT: settings.hfEndpoint,
      CWS_EXTENSION_ID: settings.chromeExtensionId,
      CWS_PUBLISHER_ID: settings.chromePublisherId,
    },
  };
}
