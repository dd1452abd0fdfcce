import path from 'node:path';
import * as github from '@pulumi/github';
import { loadStackConfig } from './config';
import { deployEnvironment } from './deploy-environment';
import { ExtensionRelease } from './extension/release';
import { releaseVersion } from './extension/version';
import { RepositoryGovernance } from './github/governance';
import { requiredChecksFor } from './github/required-checks';
import { SpeechEndpoint } from './hf/speech-endpoint';
import { repoRoot } from './paths';
import { functionSecretValues } from './supabase/function-env';
import { MANAGEMENT_API_URL, SupabaseProject } from './supabase/project';

/** The program `pulumi up` runs, and the offline plan runs under mocks. */
export default async function readAloud() {
  const config = loadStackConfig();
  const { settings } = config;
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
      functionSecrets: functionSecretValues(config),
      supabaseDir: path.join(repoRoot, 'supabase'),
    },
    { protect: settings.protect },
  );

  const speech = new SpeechEndpoint(
    'speech',
    {
      endpoint: settings.hfEndpoint,
      imageRepository: settings.handlerImageRepository,
      registryUsername: settings.registryUsername,
      registryToken: config.secrets.registryToken,
      hfToken: config.secrets.hfToken,
      handler: settings.speechHandler,
      repoRoot,
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
      version: releaseVersion(repoRoot),
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
    environment: governance.environmentName,
    requiredChecks,
    extension: {
      version: extension.version,
      zipSha256: extension.zipSha256,
      ...settings.extensionRelease,
    },
  };
}
