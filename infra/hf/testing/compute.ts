import type { DeclaredCompute } from '../hf-endpoint-rollout';

/** A staging endpoint's compute: one small CPU replica that scales to zero. */
export const STAGING_COMPUTE: DeclaredCompute = {
  vendor: 'aws',
  region: 'us-east-1',
  accelerator: 'cpu',
  instanceType: 'intel-spr',
  instanceSize: 'x2',
  minReplica: 0,
  maxReplica: 1,
  scaleToZeroTimeout: 15,
};
