import { endpointScaling } from './endpoint-scaling';
import { PROTECTED_STACKS, stackOf } from './stacks';

/** The resource as a policy sees it, whether under CrossGuard or in the offline plan. */
export interface PolicyResource {
  urn: string;
  type: string;
  props: Record<string, unknown>;
  protect: boolean;
  /** Input paths that are Pulumi secrets; undefined where the runner cannot tell (CrossGuard). */
  secretPaths?: string[];
}

export interface PolicyViolation {
  policy: string;
  urn: string;
  message: string;
}

export interface ResourceRule {
  name: string;
  description: string;
  check(resource: PolicyResource): string[];
}

export { PROTECTED_STACKS } from './stacks';

export const RULESET_TYPE = 'github:index/repositoryRuleset:RepositoryRuleset';
export const ENVIRONMENT_SECRET_TYPE =
  'github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret';

/** Inputs that carry secret values, by resource type. */
export const SECRET_INPUTS: Record<string, string[]> = {
  [ENVIRONMENT_SECRET_TYPE]: ['value', 'plaintextValue'],
  'pulumi-nodejs:dynamic:Resource': ['accessToken', 'values', 'apiKey'],
  'command:local:Command': ['environment'],
  'docker-build:index:Image': ['registries'],
};

const isProvider = (type: string) => type.startsWith('pulumi:providers:');
// A changed trigger replaces a command, which protection would refuse; deleting one undoes nothing.
const isCommand = (type: string) => type === 'command:local:Command';

export const prodResourcesProtected: ResourceRule = {
  name: 'prod-resources-protected',
  description: `Resources of the ${PROTECTED_STACKS.join(', ')} stack are protected from deletion`,
  check: ({ urn, type, protect }) =>
    PROTECTED_STACKS.includes(stackOf(urn)) && !isProvider(type) && !isCommand(type) && !protect
      ? [`${type} is not protected; set \`read-aloud:protect: true\` for this stack`]
      : [],
};

export const secretsStaySecret: ResourceRule = {
  name: 'secrets-stay-secret',
  description: 'Secret inputs are Pulumi secrets and never use a plain-text variant',
  check: ({ type, props, secretPaths }) =>
    (SECRET_INPUTS[type] ?? [])
      .filter((input) => props[input] !== undefined && props[input] !== null)
      .flatMap((input) => [
        ...(input === 'plaintextValue' ? [`uses deprecated '${input}'; set 'value' instead`] : []),
        ...(secretPaths && !secretPaths.includes(input)
          ? [`input '${input}' holds a secret in plain text; pass a Pulumi secret`]
          : []),
      ]),
};

export const branchRulesRequireReviewAndChecks: ResourceRule = {
  name: 'branch-rules-require-review-and-checks',
  description:
    'Every branch rule requires a pull request, status checks, no force-push, no deletion',
  check: ({ type, props }) => {
    if (type !== RULESET_TYPE || props.target !== 'branch') return [];
    const rules = (props.rules ?? {}) as Record<string, unknown>;
    const checks = (rules.requiredStatusChecks as { requiredChecks?: unknown[] } | undefined)
      ?.requiredChecks;
    return [
      ...(rules.pullRequest ? [] : ['does not require a pull request']),
      ...(checks && checks.length > 0 ? [] : ['requires no status checks']),
      ...(rules.nonFastForward === true ? [] : ['allows force-pushes']),
      ...(rules.deletion === true ? [] : ['allows deletion']),
    ];
  },
};

export const rules: ResourceRule[] = [
  prodResourcesProtected,
  secretsStaySecret,
  branchRulesRequireReviewAndChecks,
  endpointScaling,
];

export function checkResource(resource: PolicyResource): PolicyViolation[] {
  return rules.flatMap((rule) =>
    rule.check(resource).map((message) => ({ policy: rule.name, urn: resource.urn, message })),
  );
}
