import type { StackPlan } from '../plan/run-stack';
import { ENVIRONMENT_SECRET_TYPE, RULESET_TYPE } from '../policy/rules';

const ENVIRONMENT_TYPE = 'github:index/repositoryEnvironment:RepositoryEnvironment';
const DEPLOY_POLICY_TYPE =
  'github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy';

/** What a stack declares that the workflows must fit, read from its offline plan. */
export interface StackFacts {
  stack: string;
  /** The branch whose rules the stack owns, and the status checks those rules require. */
  branch: string;
  requiredChecks: string[];
  /** The environment `pulumi up` of this stack runs in, and the refs it accepts deploys from. */
  deployEnvironment: string;
  deployRefs: { branches: string[]; tags: string[] };
  /** Every environment the stack owns -> the secret names it writes there. */
  secrets: Record<string, string[]>;
}

interface BranchRuleset {
  target: string;
  conditions: { refName: { includes: string[] } };
  rules: { requiredStatusChecks?: { requiredChecks: { context: string }[] } };
}

export function stackFacts(plan: StackPlan): StackFacts {
  const inputsOf = (type: string) =>
    plan.resources.filter((r) => r.type === type).map((r) => r.inputs);
  const branchRules = inputsOf(RULESET_TYPE) as unknown as BranchRuleset[];
  const [rules] = branchRules.filter((r) => r.target === 'branch');
  const policies = inputsOf(DEPLOY_POLICY_TYPE) as {
    environment: string;
    branchPattern?: string;
    tagPattern?: string;
  }[];
  const [deployEnvironment] = new Set(policies.map((p) => p.environment));
  if (rules === undefined || deployEnvironment === undefined) {
    throw new Error(`stack ${plan.stack} declares no branch rules or no deploy environment`);
  }
  const secrets: Record<string, string[]> = {};
  for (const { environment } of inputsOf(ENVIRONMENT_TYPE)) secrets[String(environment)] = [];
  for (const { environment, secretName } of inputsOf(ENVIRONMENT_SECRET_TYPE)) {
    secrets[String(environment)]?.push(String(secretName));
  }
  const refs = (key: 'branchPattern' | 'tagPattern') =>
    policies
      .filter((p) => p.environment === deployEnvironment)
      .flatMap((p) => (p[key] === undefined ? [] : [p[key]]))
      .sort();
  return {
    stack: plan.stack,
    branch: rules.conditions.refName.includes[0]?.replace(/^refs\/heads\//, '') ?? '',
    requiredChecks: (rules.rules.requiredStatusChecks?.requiredChecks ?? [])
      .map((c) => c.context)
      .sort(),
    deployEnvironment,
    deployRefs: { branches: refs('branchPattern'), tags: refs('tagPattern') },
    secrets,
  };
}
