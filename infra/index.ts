// The Pulumi program, composition only: read the stack config, give each component typed args,
// export outputs. Where a new piece goes (README.md, "Where to add what"):
// - a component: its own folder infra/<concern>/, built below; it never reads config values itself;
// - a workflow rule: infra/workflows/rules/<rule-name>.ts, tests beside it, a line in rules.ts;
// - an edge function: supabase/functions/<name>/{index.ts,handler.ts,handler_test.ts}.
import path from 'node:path';
import * as github from '@pulumi/github';
import { loadStackConfig } from './config';
import { deployEnvironment } from './deploy-environment';
import { ExtensionRelease } from './extension/release';
import { releaseVersion } from './extension/version';
import { RepositoryGovernance } from './github/governance';
import { requiredChecksFor } from './workflows/required-checks';
import { SpeechEndpoint } from './hf/speech-endpoint';
import { repoRoot } from './paths';
import { StripeBilling } from './stripe/billing';
import { functionSecretValues } from './supabase/function-env';
import { functionUrl, MANAGEMENT_API_URL, SupabaseProject } from './supabase/project';
import { STRIPE_WEBHOOK_EVENTS } from '../supabase/functions/stripe-webhook/events';

/** The program `pulumi up` runs, and the offline plan runs under mocks. */
export default async function readAloud() {
  const config = loadStackConfig();
  const { settings } = config;
  // git answers while the program declares the rest; a failure is reported where it is awaited.
  const version = releaseVersion(repoRoot);
  version.catch(() => {});
  const [owner, repository] = settings.githubRepository.split('/') as [string, string];

  const githubProvider = new github.Provider('github', { owner });
  const requiredChecks = requiredChecksFor(settings.protectedBranch);
  const governance = new RepositoryGovernance(
    'governance',
    {
      repository,
      protectedBranch: settings.protectedBranch,
      releaseTagPattern: settings.releaseTagPattern,
      requiredApprovals: settings.requiredApprovals,
      requiredChecks,
      environment: settings.environment,
      deploymentRefs: settings.deploymentRefs,
      reviewers: settings.environmentReviewers,
      ...deployEnvironment(config),
    },
    { providers: [githubProvider], protect: settings.protect },
  );

  const speech = new SpeechEndpoint(
    'speech',
    {
      endpoint: settings.hfEndpoint,
      imageRepository: settings.handlerImageRepository,
      registryUsername: settings.registryUsername,
      registryToken: config.secrets.registryToken,
      managementToken: config.secrets.hfToken,
      compute: settings.hfEndpointCompute,
      handler: settings.speechHandler,
      repoRoot,
    },
    { protect: settings.protect },
  );

  const stripe = new StripeBilling(
    'stripe',
    {
      apiKey: config.secrets.stripeApiKey,
      webhookUrl: functionUrl(settings.supabaseProjectRef, 'stripe-webhook'),
      events: STRIPE_WEBHOOK_EVENTS,
      plans: settings.stripePlans,
      description: `read-aloud ${config.stack}`,
    },
    { protect: settings.protect },
  );

  const supabase = new SupabaseProject(
    'supabase',
    {
      projectRef: settings.supabaseProjectRef,
      managementApiUrl: MANAGEMENT_API_URL,
      accessToken: config.secrets.supabaseAccessToken,
      dbPassword: config.secrets.supabaseDbPassword,
      auth: settings.supabaseAuth,
      api: settings.supabaseApi,
      extensionId: settings.chromeExtensionId,
      // Values other vendors produce arrive as their outputs, never as copied settings.
      functionSecrets: functionSecretValues({
        speechHandler: settings.speechHandler,
        endpointUrl: speech.url,
        inferenceToken: config.secrets.hfInferenceToken,
        webhookSecret: stripe.webhookSecret,
      }),
      planPrices: stripe.planPrices,
      supabaseDir: path.join(repoRoot, 'supabase'),
    },
    { protect: settings.protect },
  );

  const extension = new ExtensionRelease(
    'extension',
    {
      stack: config.stack,
      supabaseUrl: supabase.url,
      anonKey: supabase.anonKey,
      siteUrl: settings.supabaseAuth.siteUrl,
      version: await version,
      extensionId: settings.chromeExtensionId,
      publisherId: settings.chromePublisherId,
      release: settings.extensionRelease,
      clientId: config.secrets.chromeClientId,
      clientSecret: config.secrets.chromeClientSecret,
      refreshToken: config.secrets.chromeRefreshToken,
      repoRoot,
    },
    { protect: settings.protect },
  );

  return {
    repository: settings.githubRepository,
    handlerImage: speech.imageRef,
    supabaseUrl: supabase.url,
    functionVersions: supabase.functionVersions,
    speechEndpointUrl: speech.url,
    planPrices: stripe.planPrices,
    environment: governance.environmentName,
    requiredChecks,
    extension: {
      version: extension.version,
      zipSha256: extension.zipSha256,
      ...settings.extensionRelease,
    },
  };
}
