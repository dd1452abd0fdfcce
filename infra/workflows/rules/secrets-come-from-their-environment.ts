import { environmentOf, jobsOf } from '../repo';
import type { WorkflowRule } from '../rules';
import { secretsIn } from '../secrets-in';

/** The secret GitHub gives every run; any other secret comes from a stack's environment. */
const GITHUB_PROVIDED_SECRETS = ['GITHUB_TOKEN'];

export const secretsComeFromTheirEnvironment: WorkflowRule = {
  name: 'contract 2: every secret a job uses is declared for its environment by the owning stack',
  check(repo, stacks) {
    const declared = new Map(stacks.flatMap(({ secrets }) => Object.entries(secrets)));
    const workflowLevel = repo.workflows.flatMap(({ file, workflow }) =>
      secretsIn(workflow.env).map((s) => `${file}: workflow env gives secrets.${s} to every job`),
    );
    const jobLevel = jobsOf(repo).flatMap(({ file, id, job }) => {
      const environment = environmentOf(job);
      const used = secretsIn(job).filter((s) => !GITHUB_PROVIDED_SECRETS.includes(s));
      if (environment === undefined) {
        return used.map((s) => `${file} job ${id}: uses secrets.${s} without an environment`);
      }
      const inEnvironment = declared.get(environment);
      if (inEnvironment === undefined) {
        return [`${file} job ${id}: environment ${environment} is declared by no stack`];
      }
      return used
        .filter((s) => !inEnvironment.includes(s))
        .map(
          (s) => `${file} job ${id}: secrets.${s} is not declared for environment ${environment}`,
        );
    });
    return [...workflowLevel, ...jobLevel];
  },
};
