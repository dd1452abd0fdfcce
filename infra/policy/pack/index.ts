import { PolicyPack } from '@pulumi/policy';
import { toResourceValidationPolicy } from '../crossguard';
import { rules } from '../rules';

// Run with `pulumi preview --policy-pack infra/policy/pack`; the offline plan runs the same rules.
new PolicyPack('read-aloud', { policies: rules.map(toResourceValidationPolicy) });
