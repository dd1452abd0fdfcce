import { describe, expect, it } from 'vitest';
import { rolloutCommand } from '../hf/speech-endpoint';
import { STAGING_COMPUTE } from '../hf/testing/compute';
import { COMMAND_TYPE, endpointScaling, endpointScalingRule } from './endpoint-scaling';
import type { PolicyResource } from './rules';

// Always warm: one replica at least, so no scale-to-zero timeout.
const compute = { ...STAGING_COMPUTE, minReplica: 1, maxReplica: 2, scaleToZeroTimeout: undefined };
const rollout = (stack: string, declared: object): PolicyResource => ({
  urn: `urn:pulumi:${stack}::read-aloud::read-aloud:hf:SpeechEndpoint$${COMMAND_TYPE}::endpoint-rollout`,
  type: COMMAND_TYPE,
  props: {
    create: rolloutCommand({
      HF_ENDPOINT_NAME: 'kokoro',
      HF_ENDPOINT_COMPUTE: JSON.stringify(declared),
    }),
  },
  protect: false,
});
const rule = endpointScalingRule((stack) => (stack === 'staging' ? 2 : undefined));

describe('endpoint-scaling', () => {
  it('passes a prod endpoint with a warm replica and a staging one within its limit', () => {
    expect(rule.check(rollout('prod', compute))).toEqual([]);
    expect(
      rule.check(rollout('staging', { ...compute, minReplica: 0, scaleToZeroTimeout: 15 })),
    ).toEqual([]);
  });

  it('fails a prod endpoint that scales to zero', () => {
    expect(
      rule.check(rollout('prod', { ...compute, minReplica: 0, scaleToZeroTimeout: 15 })),
    ).toEqual([
      'the prod speech endpoint scales to zero (minReplica 0): set minReplica to 1 or more in read-aloud:hfEndpointCompute',
    ]);
  });

  it('fails a staging endpoint allowed more replicas than the setting, or a stack without the setting', () => {
    expect(rule.check(rollout('staging', { ...compute, maxReplica: 3 }))).toEqual([
      'the staging speech endpoint may run 3 replicas, more than read-aloud:stagingMaxReplicas (2)',
    ]);
    expect(rule.check(rollout('qa', compute))).toEqual([
      'read-aloud:stagingMaxReplicas is not set for stack qa: the policy needs it',
    ]);
  });

  it('ignores other commands', () => {
    const other = { ...rollout('prod', compute), props: { create: 'npx supabase db push' } };
    expect(rule.check(other)).toEqual([]);
  });

  it('reads the limit from the stack file: staging declares one that its compute keeps', () => {
    expect(endpointScaling.check(rollout('staging', { ...compute, maxReplica: 2 }))).toEqual([]);
    expect(endpointScaling.check(rollout('staging', { ...compute, maxReplica: 9 }))).toHaveLength(
      1,
    );
  });
});
