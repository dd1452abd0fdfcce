import { stepsOf } from '../repo';
import type { WorkflowRule } from '../rules';

export const pulumiCliMatchesSdk: WorkflowRule = {
  name: 'the Pulumi CLI the runners install is the version of the SDK the program uses',
  check(repo) {
    const installs = stepsOf(repo).filter(({ step }) => step.uses?.startsWith('pulumi/actions@'));
    if (installs.length === 0) return ['no step installs the Pulumi CLI'];
    return installs
      .filter(({ step }) => step.with?.['pulumi-version'] !== repo.pulumiSdkVersion)
      .map(
        ({ where, step }) =>
          `${where}: installs Pulumi ${String(step.with?.['pulumi-version'])}, the program uses @pulumi/pulumi ${repo.pulumiSdkVersion}`,
      );
  },
};
