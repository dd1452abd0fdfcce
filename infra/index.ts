import * as github from '@pulumi/github';
import { loadStackConfig } from './config';
import { deployEnvironment } from './github/deploy-environment';
import { RepositoryGovernance } from './github/governance';
import { requiredChecksFor } from './github/required-checks';

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

  return {
    repository: settings.githubRepository,
    environment: governance.environmentName,
    requiredChecks,
  };
}
