import { environmentOf, jobsOf } from '../repo';
import type { WorkflowRule } from '../rules';
import { secretsIn } from '../secrets-in';

/** The reverse of contract 2: a secret no job reads is only one more place for it to leak from. */
export const environmentSecretsAreRead: WorkflowRule = {
  name: 'every secret a stack writes to a GitHub environment is read by some job in that environment',
  check(repo, stacks) {
    const readIn = new Map<string, Set<string>>();
    for (const { job } of jobsOf(repo)) {
      const environment = environmentOf(job);
      if (environment === undefined) continue;
      const read = readIn.get(environment) ?? new Set<string>();
      for (const name of secretsIn(job)) read.add(name);
      readIn.set(environment, read);
    }
    return stacks.flatMap(({ stack, secrets }) =>
      Object.entries(secrets).flatMap(([environment, names]) =>
        names
          .filter((name) => !readIn.get(environment)?.has(name))
          .map(
            (name) =>
              `${stack}: writes ${name} to environment ${environment}, which no job in it reads`,
          ),
      ),
    );
  },
};
