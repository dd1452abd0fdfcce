// Composition, not a component: maps the stack config to the GitHub environments' secrets.
import type * as pulumi from '@pulumi/pulumi';
import { SECRETS, type SecretKey, type StackConfig } from './config';

// A deploy runs `pulumi up` (the rest of its secrets come from the stack config) and the smoke test.
const DEPLOY_SECRETS: SecretKey[] = [
  'pulumiBackendUrl',
  'pulumiConfigPassphrase',
  'repoAdminToken',
  'smokeUserEmail',
  'smokeUserPassword',
  'hfToken',
  'supabaseAccessToken',
];
// A rollback, in the deploy environment of the stack that owns the releases, compares migrations.
const ROLLBACK_SECRETS: SecretKey[] = ['supabaseDbPassword'];
// A preview reads the state and decrypts the config; it changes nothing, so it gets no provider tokens.
const PREVIEW_SECRETS: SecretKey[] = ['pulumiBackendUrl', 'pulumiConfigPassphrase'];
// The release job alone tags releases; a deploy never needs that token.
const RELEASE_SECRETS: SecretKey[] = ['releaseToken'];
/** The environment the release job runs in, on the branch that releases are cut from. */
const RELEASE_ENVIRONMENT = 'release';

// Keys without a GitHub secret (the functions' own secrets) are not written to GitHub.
const githubSecrets = (keys: SecretKey[], secrets: StackConfig['secrets']) =>
  Object.fromEntries(
    keys.flatMap((key) => {
      const name = SECRETS[key].githubSecret;
      return name === undefined ? [] : [[name, secrets[key]]];
    }),
  );

// Drift previews with refresh (GitHub, Supabase and the endpoint are read) and checks the database.
const DRIFT_SECRETS: SecretKey[] = [
  'pulumiBackendUrl',
  'pulumiConfigPassphrase',
  'repoAdminToken',
  'supabaseAccessToken',
  'supabaseDbPassword',
  'hfToken',
];
// Health reads the endpoint, the database and Stripe, never the Pulumi state.
const HEALTH_SECRETS: SecretKey[] = ['supabaseDbPassword', 'hfToken', 'stripeApiKey'];

/** The environments of a stack's scheduled drift and health checks. */
export const driftEnvironmentName = (environment: string) => `${environment}-drift`;
export const healthEnvironmentName = (environment: string) => `${environment}-health`;

/** The GitHub environment that pull request previews of a stack run in. */
const previewEnvironmentName = (environment: string) => `${environment}-preview`;

/** The secrets a deploy of this stack, its preview and its scheduled checks read from GitHub. */
export function deployEnvironment({ settings, secrets }: StackConfig): {
  secrets: Record<string, pulumi.Output<string>>;
  preview: { environment: string; secrets: Record<string, pulumi.Output<string>> };
  branchOnly: {
    environment: string;
    branch: string;
    secrets: Record<string, pulumi.Output<string>>;
  }[];
} {
  return {
    secrets: githubSecrets(
      settings.releaseTagPattern === undefined
        ? DEPLOY_SECRETS
        : [...DEPLOY_SECRETS, ...ROLLBACK_SECRETS],
      secrets,
    ),
    preview: {
      environment: previewEnvironmentName(settings.environment),
      secrets: githubSecrets(PREVIEW_SECRETS, secrets),
    },
    branchOnly: [
      // Only the stack that owns the release tags releases.
      ...(settings.releaseTagPattern === undefined
        ? []
        : [
            {
              environment: RELEASE_ENVIRONMENT,
              branch: settings.protectedBranch,
              secrets: githubSecrets(RELEASE_SECRETS, secrets),
            },
          ]),
      {
        environment: driftEnvironmentName(settings.environment),
        branch: settings.monitoring.defaultBranch,
        secrets: githubSecrets(DRIFT_SECRETS, secrets),
      },
      {
        environment: healthEnvironmentName(settings.environment),
        branch: settings.monitoring.defaultBranch,
        secrets: githubSecrets(HEALTH_SECRETS, secrets),
      },
    ],
  };
}
