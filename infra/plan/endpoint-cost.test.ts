import { beforeAll, describe, expect, it } from 'vitest';
import { costLine, renderComputeSideBySide } from './endpoint-cost';
import { planStacks } from './plan';
import { renderPlan } from './render';
import type { StackPlan } from './run-stack';

const compute = {
  vendor: 'aws',
  region: 'us-east-1',
  accelerator: 'cpu' as const,
  instanceType: 'intel-spr',
  instanceSize: 'x2',
  minReplica: 1,
  maxReplica: 3,
};

describe('the cost line', () => {
  it("multiplies the instance's hourly price by the replicas, noting a warm replica's monthly floor", () => {
    expect(costLine(compute)).toBe(
      '$0.067/h per replica x 1 to 3 replicas = $0.067/h to $0.201/h; keeps 1 warm replica(s): at least $49/month',
    );
  });

  it('notes scale to zero, and names an instance missing from the table', () => {
    expect(costLine({ ...compute, minReplica: 0, scaleToZeroTimeout: 30 })).toBe(
      '$0.067/h per replica x 0 to 3 replicas = $0.000/h to $0.201/h; scales to zero after 30 min idle, costing nothing while idle',
    );
    expect(costLine({ ...compute, instanceSize: 'x64' })).toBe(
      'no price for aws/cpu/intel-spr/x64 in the table (infra/plan/endpoint-cost.ts)',
    );
  });
});

describe('the plan of each stack', () => {
  let plans: StackPlan[];
  beforeAll(async () => {
    plans = await planStacks(['staging', 'prod']);
  }, 120_000);

  it('shows the endpoint compute and a cost line per stack', () => {
    const [staging, prod] = plans.map(renderPlan) as [string, string];
    expect(staging).toContain('  replicas: 0 to 1\n  scale to zero: after 15 min idle\n');
    expect(staging).toMatch(
      / {2}cost: \$0\.067\/h per replica x 0 to 1 replicas .* scales to zero/,
    );
    expect(prod).toMatch(
      / {2}cost: \$0\.134\/h per replica x 1 to 2 replicas .* at least \$98\/month/,
    );
  });

  it('--compare puts the two stacks compute side by side, with both cost lines', () => {
    const table = renderComputeSideBySide(plans);
    expect(table.split('\n').slice(0, 5)).toEqual([
      'Speech endpoint compute, side by side:',
      '                 staging            prod',
      '  provider       aws us-east-1      aws us-east-1',
      '  instance       cpu intel-spr x2   cpu intel-spr x4',
      '  replicas       0 to 1             1 to 2',
    ]);
    expect(table).toMatch(/cost staging: .*\n {2}cost prod: /);
  });
});
