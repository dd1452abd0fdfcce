import type { Repo } from './repo';
import { actionlintPasses } from './rules/actionlint-passes';
import { commandsAreDocumentedScripts } from './rules/commands-are-documented-scripts';
import { deployTriggersMatchStacks } from './rules/deploy-triggers-match-stacks';
import { deploysQueuePerStack } from './rules/deploys-queue-per-stack';
import { environmentSecretsAreRead } from './rules/environment-secrets-are-read';
import { driftNeverWritesState } from './rules/drift-never-writes-state';
import { jobsHaveTimeouts } from './rules/jobs-have-timeouts';
import { pulumiCliMatchesSdk } from './rules/pulumi-cli-matches-sdk';
import { releaseTagsWithStartingToken } from './rules/release-tags-with-starting-token';
import { requiredChecksAreMustPassJobs } from './rules/required-checks-are-must-pass-jobs';
import { secretsComeFromTheirEnvironment } from './rules/secrets-come-from-their-environment';
import { testsRunInChecks } from './rules/tests-run-in-checks';
import { toolchainComesWithCaches } from './rules/toolchain-comes-with-caches';
import type { StackFacts } from './stacks';

/** A rule the workflow files keep, alone or with the stacks; it returns what breaks it. */
export interface WorkflowRule {
  name: string;
  check(repo: Repo, stacks: StackFacts[]): string[] | Promise<string[]>;
}

// Pins, permissions, injection from event text and dangerous triggers are zizmor's to check
// (`npm run lint:workflows`, configured in .github/zizmor.yml); the rules here are ours alone.
// Each rule is one file in rules/, its tests beside it; adding one is an import and a line here.
export const workflowRules: WorkflowRule[] = [
  actionlintPasses,
  requiredChecksAreMustPassJobs,
  secretsComeFromTheirEnvironment,
  jobsHaveTimeouts,
  deploysQueuePerStack,
  deployTriggersMatchStacks,
  commandsAreDocumentedScripts,
  toolchainComesWithCaches,
  pulumiCliMatchesSdk,
  testsRunInChecks,
  driftNeverWritesState,
  releaseTagsWithStartingToken,
  environmentSecretsAreRead,
];
