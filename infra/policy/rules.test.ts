import { describe, expect, it } from 'vitest';
import { toResourceValidationPolicy } from './crossguard';
import {
  branchRulesRequireReviewAndChecks,
  ENVIRONMENT_SECRET_TYPE,
  prodResourcesProtected,
  RULESET_TYPE,
  secretsStaySecret,
  type PolicyResource,
} from './rules';

const urn = (stack: string, type: string) => `urn:pulumi:${stack}::read-aloud::${type}::thing`;
const resource = (overrides: Partial<PolicyResource>): PolicyResource => ({
  urn: urn('prod', RULESET_TYPE),
  type: RULESET_TYPE,
  props: {},
  protect: true,
  ...overrides,
});
const goodBranchRules = {
  target: 'branch',
  rules: {
    pullRequest: { requiredApprovingReviewCount: 1 },
    requiredStatusChecks: { requiredChecks: [{ context: 'lint' }] },
    nonFastForward: true,
    deletion: true,
  },
};

describe('prod-resources-protected', () => {
  it('passes a protected prod resource and any staging resource', () => {
    expect(prodResourcesProtected.check(resource({}))).toEqual([]);
    expect(
      prodResourcesProtected.check(resource({ urn: urn('staging', RULESET_TYPE), protect: false })),
    ).toEqual([]);
  });

  it('passes an unprotected prod command: a changed trigger replaces it', () => {
    expect(
      prodResourcesProtected.check(resource({ type: 'command:local:Command', protect: false })),
    ).toEqual([]);
  });

  it('fails an unprotected prod resource', () => {
    expect(prodResourcesProtected.check(resource({ protect: false }))).toEqual([
      `${RULESET_TYPE} is not protected; set \`read-aloud:protect: true\` for this stack`,
    ]);
  });
});

describe('secrets-stay-secret', () => {
  const secret = (props: Record<string, unknown>, secretPaths?: string[]) =>
    resource({ type: ENVIRONMENT_SECRET_TYPE, props, ...(secretPaths ? { secretPaths } : {}) });

  it('passes a secret value that is a Pulumi secret', () => {
    expect(secretsStaySecret.check(secret({ value: '[secret]' }, ['value']))).toEqual([]);
  });

  it('fails a secret value passed in plain text, and the deprecated plain-text input', () => {
    expect(secretsStaySecret.check(secret({ value: 'hunter2' }, []))).toEqual([
      "input 'value' holds a secret in plain text; pass a Pulumi secret",
    ]);
    expect(secretsStaySecret.check(secret({ plaintextValue: 'x' }))).toEqual([
      "uses deprecated 'plaintextValue'; set 'value' instead",
    ]);
  });
});

describe('branch-rules-require-review-and-checks', () => {
  it('passes a branch rule with a pull request, checks, no force-push and no deletion', () => {
    expect(branchRulesRequireReviewAndChecks.check(resource({ props: goodBranchRules }))).toEqual(
      [],
    );
  });

  it('ignores tag rules', () => {
    expect(
      branchRulesRequireReviewAndChecks.check(resource({ props: { target: 'tag', rules: {} } })),
    ).toEqual([]);
  });

  it('fails a branch rule missing each requirement', () => {
    expect(
      branchRulesRequireReviewAndChecks.check(
        resource({
          props: { target: 'branch', rules: { requiredStatusChecks: { requiredChecks: [] } } },
        }),
      ),
    ).toEqual([
      'does not require a pull request',
      'requires no status checks',
      'allows force-pushes',
      'allows deletion',
    ]);
  });
});

describe('the CrossGuard form of a rule', () => {
  it('reports each violation through CrossGuard', () => {
    const policy = toResourceValidationPolicy(prodResourcesProtected);
    const reported: string[] = [];
    const args = {
      urn: urn('prod', RULESET_TYPE),
      type: RULESET_TYPE,
      props: goodBranchRules,
      opts: { protect: false },
    };
    const validate = policy.validateResource as (a: unknown, report: (m: string) => void) => void;
    validate(args, (message) => reported.push(message));
    expect(policy.enforcementLevel).toBe('mandatory');
    expect(reported).toEqual([expect.stringContaining('is not protected')]);
  });
});
