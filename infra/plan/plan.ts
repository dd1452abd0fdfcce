import { spawn } from 'node:child_process';
import path from 'node:path';
import type { PlanOptions, StackPlan } from './run-stack';

export class PlanError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

// From source the child runs under tsx; inside the plan's bundle (launch.mjs) it is bundled beside
// it and reuses the launcher's compile cache.
const child = __filename.endsWith('.ts')
  ? ['--import', 'tsx', path.join(__dirname, 'child.ts')]
  : ['--require', require.resolve('v8-compile-cache'), path.join(__dirname, 'child.cjs')];

/** Plans one stack in its own Node process, running the real program under mocks. */
export function planStack(stack: string, options: PlanOptions = {}): Promise<StackPlan> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, child, {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    proc.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    proc.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as StackPlan);
      else reject(new PlanError(Buffer.concat(err).toString('utf8').trim(), code ?? 1));
    });
    proc.stdin.end(JSON.stringify({ stack, options }));
  });
}

/**
 * Plans the stacks side by side; failures are reported together, in the order the stacks were given.
 * `planFirst` may plan the first stack in this process, while the others run in their own.
 */
export async function planStacks(
  stacks: string[],
  options: PlanOptions = {},
  planFirst: typeof planStack = planStack,
): Promise<StackPlan[]> {
  const [first, ...rest] = stacks;
  // The children start before this process may get busy with the first stack.
  const others = rest.map((stack) => planStack(stack, options));
  const results = await Promise.allSettled([
    ...(first === undefined ? [] : [planFirst(first, options)]),
    ...others,
  ]);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failures.length > 0) {
    const first = failures[0] as Error;
    throw new PlanError(
      failures.map((f) => f.message).join('\n\n'),
      first instanceof PlanError ? first.exitCode : 1,
    );
  }
  return results.map((r) => (r as PromiseFulfilledResult<StackPlan>).value);
}
