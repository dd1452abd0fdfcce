import type { ResourceValidationPolicy } from '@pulumi/policy';
import type { ResourceRule } from './rules';

/** The same rule as a CrossGuard policy; CrossGuard unwraps secrets, so secretness is unknown there. */
export function toResourceValidationPolicy(rule: ResourceRule): ResourceValidationPolicy {
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: 'mandatory',
    validateResource: (args, reportViolation) => {
      const resource = {
        urn: args.urn,
        type: args.type,
        props: args.props,
        protect: args.opts.protect,
      };
      for (const message of rule.check(resource)) reportViolation(message);
    },
  };
}
