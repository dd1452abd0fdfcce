import type { DeclaredCompute } from '../hf/hf-endpoint-rollout';
import { declaredCompute } from '../policy/endpoint-scaling';
import type { StackPlan } from './run-stack';

/**
 * Hourly USD per replica of the Hugging Face Inference Endpoints instances we may declare, from
 * its public price list (November 2026); the plan's cost line is an estimate, not a bill.
 */
export const HOURLY_PRICES_USD: Record<string, number> = {
  'aws/cpu/intel-spr/x1': 0.033,
  'aws/cpu/intel-spr/x2': 0.067,
  'aws/cpu/intel-spr/x4': 0.134,
  'aws/cpu/intel-spr/x8': 0.268,
  'aws/gpu/nvidia-t4/x1': 0.5,
  'aws/gpu/nvidia-l4/x1': 0.8,
  'aws/gpu/nvidia-a10g/x1': 1.0,
};

const HOURS_PER_MONTH = 730;
const instanceOf = (c: DeclaredCompute) =>
  `${c.vendor}/${c.accelerator}/${c.instanceType}/${c.instanceSize}`;
const perHour = (amount: number) => `$${amount.toFixed(3)}/h`;

/** The speech endpoint's compute as the stack's rollout declares it. */
export function endpointCompute(plan: StackPlan): DeclaredCompute | undefined {
  for (const r of plan.resources) {
    const compute = declaredCompute(r.type, r.inputs);
    if (compute) return compute;
  }
  return undefined;
}

/** One line: the hourly price times the replicas, and whether idle time costs nothing. */
export function costLine(compute: DeclaredCompute): string {
  const hourly = HOURLY_PRICES_USD[instanceOf(compute)];
  if (hourly === undefined) {
    return `no price for ${instanceOf(compute)} in the table (infra/plan/endpoint-cost.ts)`;
  }
  const idle =
    compute.minReplica === 0
      ? `scales to zero after ${compute.scaleToZeroTimeout} min idle, costing nothing while idle`
      : `keeps ${compute.minReplica} warm replica(s): at least $${Math.round(hourly * compute.minReplica * HOURS_PER_MONTH)}/month`;
  return `${perHour(hourly)} per replica x ${compute.minReplica} to ${compute.maxReplica} replicas = ${perHour(hourly * compute.minReplica)} to ${perHour(hourly * compute.maxReplica)}; ${idle}`;
}

const computeFields = (c: DeclaredCompute) => ({
  provider: `${c.vendor} ${c.region}`,
  instance: `${c.accelerator} ${c.instanceType} ${c.instanceSize}`,
  replicas: `${c.minReplica} to ${c.maxReplica}`,
  'scale to zero': c.minReplica === 0 ? `after ${c.scaleToZeroTimeout} min idle` : 'never',
  cost: costLine(c),
});

/** The speech endpoint section of one stack's plan. */
export function renderEndpointCompute(plan: StackPlan): string[] {
  const compute = endpointCompute(plan);
  if (!compute) return [];
  return [
    'Speech endpoint compute:',
    ...Object.entries(computeFields(compute)).map(([key, value]) => `  ${key}: ${value}`),
  ];
}

/** The stacks' endpoint compute side by side, one row per field, with each stack's cost. */
export function renderComputeSideBySide(plans: StackPlan[]): string {
  const columns = plans.map((plan) => {
    const compute = endpointCompute(plan);
    return compute ? computeFields(compute) : undefined;
  });
  const keys = Object.keys(columns.find((c) => c !== undefined) ?? {}) as (keyof ReturnType<
    typeof computeFields
  >)[];
  const header = ['', ...plans.map((p) => p.stack)];
  const rows = keys
    .filter((key) => key !== 'cost')
    .map((key) => [key, ...columns.map((c) => c?.[key] ?? '(none)')]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    'Speech endpoint compute, side by side:',
    `  ${line(header)}`,
    ...rows.map((row) => `  ${line(row)}`),
    ...plans.map((p, i) => `  cost ${p.stack}: ${columns[i]?.cost ?? '(no endpoint)'}`),
  ].join('\n');
}
