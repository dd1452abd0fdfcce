import { list, sameList } from '../lists';
import { environmentOf, triggersOf } from '../repo';
import type { WorkflowRule } from '../rules';

export const deployTriggersMatchStacks: WorkflowRule = {
  name: 'the trigger map is exactly what each stack deploys from (develop -> staging, v* -> prod)',
  check(repo, stacks) {
    return stacks.flatMap(({ stack, deployEnvironment, deployRefs }) => {
      // A dispatch-only workflow (rollback) deploys from whatever ref the environment accepts.
      const deployers = repo.workflows.filter(
        ({ workflow }) =>
          triggersOf(workflow.on).push !== undefined &&
          Object.values(workflow.jobs ?? {}).some(
            (job) => environmentOf(job) === deployEnvironment,
          ),
      );
      if (deployers.length !== 1) {
        return [
          `${stack}: ${deployers.length} workflows deploy to ${deployEnvironment}, expected 1`,
        ];
      }
      const [{ file, workflow }] = deployers as [(typeof deployers)[number]];
      const triggers = triggersOf(workflow.on);
      const push = triggers.push ?? {};
      const refs = (key: string) => (push[key] as string[] | undefined) ?? [];
      return [
        ...Object.keys(triggers)
          .filter((event) => event !== 'push' && event !== 'workflow_dispatch')
          .map(
            (event) => `${file}: deploys ${stack} on ${event}; only push and manual dispatch may`,
          ),
        ...Object.keys(push)
          .filter((key) => key !== 'branches' && key !== 'tags')
          .map((key) => `${file}: push filter '${key}' is not a ref of stack ${stack}`),
        ...(sameList(refs('branches'), deployRefs.branches) &&
        sameList(refs('tags'), deployRefs.tags)
          ? []
          : [
              `${file}: deploys ${stack} on branches ${list(refs('branches'))} and tags ${list(refs('tags'))}; ` +
                `the stack deploys from branches ${list(deployRefs.branches)} and tags ${list(deployRefs.tags)}`,
            ]),
      ];
    });
  },
};
