// Composition, not a component: maps the stack config to the GitHub environment's secrets and variables.
import type * as pulumi from '@pulumi/pulumi';
import { SECRETS, secretKeys, type SecretKey, type StackConfig } from './config';

// A preview reads the state and decrypts the config; it changes nothing, so it gets no provider tokens.
const PREVIEW_SECRETS: SecretKey[] = ['pulumiBackendUrl', 'pulumiConfigPassphrase'];

// Keys without a GitHub secret (the functions' own secrets) are not written to GitHub.
const githubSecrets = (keys: SecretKey[], secrets: StackConfig['secrets']) =>
  Object.fromEntries(
    keys.flatMap((key) => {
      const name = SECRETS[key].githubSecret;
      return name === undefined ? [] : [[name, secrets[key]]];
    }),
  );

/** The GitHub environment that pull request previews of a stack run in. */
const previewEnvironmentName = (environment: string) => `${environment}-preview`;

/** The secrets and variables a deploy of this stack, and a preview of it, read from GitHub. */
export function deployEnvironment({ stack, settings, secrets }: StackConfig): {
  secrets: Record<string, pulumi.Output<string>>;
  variables: Record<string, string>;
  preview: { environment: string; secrets: Record<string, pulumi.Output<string>> };
} {
  return {
    secrets: githubSecrets(secretKeys, secrets),
    preview: {
      environment: previewEnvironmentName(settings.environment),
      secrets: githubSecrets(PREVIEW_SECRETS, secrets),
    },
    variables: {
      PULUMI_STACK: stack,
      SUPABASE_PROJECT_REF: settings.supabaseProjectRef,
      HF_ENDPOINT: settings.hfEndpoint,
    },
  };
}
