import program from '../index';
import { ConfigError } from '../config';
import { PlanError } from './plan';
import { runStack, type PlanOptions, type StackPlan } from './run-stack';

/** The error a plan reports for a failure of its program: exit 2 for bad config, 1 for the rest. */
export function planFailure(error: unknown): PlanError {
  const known =
    error instanceof ConfigError ||
    (error instanceof Error && /^Unknown stack/.test(error.message));
  return new PlanError(
    error instanceof Error && known ? error.message : String(error),
    known ? 2 : 1,
  );
}

/** Plans one stack in this process. Once per process: the Pulumi runtime is process-global. */
export async function planInProcess(stack: string, options: PlanOptions = {}): Promise<StackPlan> {
  try {
    return await runStack(stack, program, options);
  } catch (error) {
    throw planFailure(error);
  }
}
