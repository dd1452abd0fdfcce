import { parse } from 'shell-quote';
import { fullKey } from '../config';
import { DeclaredCompute } from '../hf/hf-endpoint-rollout';
import { readStackFile } from '../plan/stack-file';
import type { ResourceRule } from './rules';
import { PROTECTED_STACKS, stackOf } from './stacks';

export const COMMAND_TYPE = 'command:local:Command';
const ROLLOUT = 'infra/hf/hf-endpoint-rollout.ts';

/** The compute a rollout command declares (its `HF_ENDPOINT_COMPUTE=` assignment), if it is one. */
export function declaredCompute(type: string, props: Record<string, unknown>) {
  if (type !== COMMAND_TYPE || typeof props.create !== 'string' || !props.create.includes(ROLLOUT))
    return undefined;
  const assignment = parse(props.create).find(
    (word): word is string => typeof word === 'string' && word.startsWith('HF_ENDPOINT_COMPUTE='),
  );
  const raw = assignment?.slice('HF_ENDPOINT_COMPUTE='.length);
  const parsed = raw === undefined ? undefined : DeclaredCompute.safeParse(JSON.parse(raw));
  return parsed?.success ? parsed.data : undefined;
}

/** The stack file's `stagingMaxReplicas`, the limit for a stack that is not protected. */
export function stackFileReplicaLimit(stack: string): number | undefined {
  const raw = readStackFile(stack).values[fullKey('stagingMaxReplicas')];
  return raw === undefined ? undefined : Number(raw);
}

/** Prod keeps a warm replica; any other stack runs at most its limit of replicas. */
export function endpointScalingRule(limitOf: (stack: string) => number | undefined): ResourceRule {
  return {
    name: 'endpoint-scaling',
    description:
      'The prod speech endpoint never scales to zero; a staging one runs at most read-aloud:stagingMaxReplicas replicas',
    check: ({ urn, type, props }) => {
      const compute = declaredCompute(type, props);
      if (!compute) return [];
      const stack = stackOf(urn);
      if (PROTECTED_STACKS.includes(stack)) {
        return compute.minReplica >= 1
          ? []
          : [
              `the ${stack} speech endpoint scales to zero (minReplica 0): set minReplica to 1 or more in ${fullKey('hfEndpointCompute')}`,
            ];
      }
      const limit = limitOf(stack);
      if (limit === undefined) {
        return [
          `${fullKey('stagingMaxReplicas')} is not set for stack ${stack}: the policy needs it`,
        ];
      }
      return compute.maxReplica <= limit
        ? []
        : [
            `the ${stack} speech endpoint may run ${compute.maxReplica} replicas, more than ${fullKey('stagingMaxReplicas')} (${limit})`,
          ];
    },
  };
}

export const endpointScaling = endpointScalingRule(stackFileReplicaLimit);
