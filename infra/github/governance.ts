import * as github from '@pulumi/github';
import * as pulumi from '@pulumi/pulumi';

export interface RepositoryGovernanceArgs {
  /** Repository name; the owner comes from the GitHub provider. */
  repository: string;
  /** The branch whose rules this stack owns. */
  protectedBranch: string;
  /** Release tags whose rules this stack owns, if any. */
  releaseTagPattern?: string;
  requiredApprovals: number;
  /** Status check contexts a pull request to `protectedBranch` must pass. */
  requiredChecks: string[];
  /** The GitHub environment this stack deploys through. */
  environment: string;
  deploymentRefs: { branches: string[]; tags: string[] };
  reviewers?: { users: number[]; teams: number[] };
  /** Environment secrets by name; every value must be a Pulumi secret. */
  secrets: Record<string, pulumi.Output<string>>;
  /** The environment pull request previews run in: any branch, the same reviewers, read secrets only. */
  preview: { environment: string; secrets: Record<string, pulumi.Output<string>> };
  /**
   * Environments only `branch` may use, without reviewers: no reviewer can wait on a schedule
   * (drift, health), and the release job's approval is the merged release pull request.
   */
  branchOnly?: {
    environment: string;
    branch: string;
    secrets: Record<string, pulumi.Output<string>>;
  }[];
}

/** The parts of the shared repository that one stack owns: its rules and its environment. */
export class RepositoryGovernance extends pulumi.ComponentResource {
  readonly environmentName: pulumi.Output<string>;
  readonly rulesetIds: pulumi.Output<string[]>;

  constructor(
    name: string,
    args: RepositoryGovernanceArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('read-aloud:github:RepositoryGovernance', name, {}, opts);
    const child = { parent: this };
    const { repository } = args;

    const branchRules = new github.RepositoryRuleset(
      'branch-rules',
      {
        repository,
        name: `protect ${args.protectedBranch}`,
        target: 'branch',
        enforcement: 'active',
        conditions: { refName: { includes: [`refs/heads/${args.protectedBranch}`], excludes: [] } },
        rules: {
          pullRequest: {
            requiredApprovingReviewCount: args.requiredApprovals,
            dismissStaleReviewsOnPush: true,
            requiredReviewThreadResolution: true,
          },
          requiredStatusChecks: {
            requiredChecks: args.requiredChecks.map((context) => ({ context })),
            strictRequiredStatusChecksPolicy: true,
          },
          nonFastForward: true,
          deletion: true,
        },
      },
      child,
    );
    const rulesets = [branchRules];

    if (args.releaseTagPattern !== undefined) {
      rulesets.push(
        new github.RepositoryRuleset(
          'release-tag-rules',
          {
            repository,
            name: `protect ${args.releaseTagPattern} tags`,
            target: 'tag',
            enforcement: 'active',
            conditions: {
              refName: { includes: [`refs/tags/${args.releaseTagPattern}`], excludes: [] },
            },
            // A release tag, once pushed, is what prod runs: it may not move or vanish.
            rules: { update: true, deletion: true, nonFastForward: true },
          },
          child,
        ),
      );
    }

    const review = {
      preventSelfReview: args.reviewers !== undefined,
      reviewers: args.reviewers ? [args.reviewers] : [],
    };
    const environment = new github.RepositoryEnvironment(
      'environment',
      {
        repository,
        environment: args.environment,
        ...review,
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      },
      child,
    );
    const inEnvironment = { repository, environment: environment.environment };

    for (const branch of args.deploymentRefs.branches) {
      new github.RepositoryEnvironmentDeploymentPolicy(
        `deploy-from-branch-${branch}`,
        { ...inEnvironment, branchPattern: branch },
        child,
      );
    }
    for (const tag of args.deploymentRefs.tags) {
      new github.RepositoryEnvironmentDeploymentPolicy(
        `deploy-from-tag-${tag}`,
        { ...inEnvironment, tagPattern: tag },
        child,
      );
    }
    for (const [secretName, value] of Object.entries(args.secrets)) {
      new github.ActionsEnvironmentSecret(
        `secret-${secretName}`,
        { ...inEnvironment, secretName, value },
        child,
      );
    }

    // Any branch may preview; its passphrase decrypts the stack's config, so the deploy's
    // reviewers approve a preview before it runs.
    const previewEnvironment = new github.RepositoryEnvironment(
      'preview-environment',
      { repository, environment: args.preview.environment, ...review },
      child,
    );
    for (const [secretName, value] of Object.entries(args.preview.secrets)) {
      new github.ActionsEnvironmentSecret(
        `preview-secret-${secretName}`,
        { repository, environment: previewEnvironment.environment, secretName, value },
        child,
      );
    }

    for (const only of args.branchOnly ?? []) {
      const branchEnvironment = new github.RepositoryEnvironment(
        `${only.environment}-environment`,
        {
          repository,
          environment: only.environment,
          deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
        },
        child,
      );
      const inBranchEnvironment = { repository, environment: branchEnvironment.environment };
      new github.RepositoryEnvironmentDeploymentPolicy(
        `${only.environment}-from-branch-${only.branch}`,
        { ...inBranchEnvironment, branchPattern: only.branch },
        child,
      );
      for (const [secretName, value] of Object.entries(only.secrets)) {
        new github.ActionsEnvironmentSecret(
          `${only.environment}-secret-${secretName}`,
          { ...inBranchEnvironment, secretName, value },
          child,
        );
      }
    }

    this.environmentName = environment.environment;
    this.rulesetIds = pulumi.all(rulesets.map((r) => r.id));
    this.registerOutputs({ environmentName: this.environmentName, rulesetIds: this.rulesetIds });
  }
}
