import { planFailure, planInProcess } from './in-process';
import { PlanError } from './plan';
import type { PlanOptions } from './run-stack';

// One stack per process: the Pulumi runtime is process-global. Options arrive on stdin so that
// secret values never appear on a command line.
async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { stack, options } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    stack: string;
    options: PlanOptions;
  };
  process.stdout.write(JSON.stringify(await planInProcess(stack, options)));
}

main().catch((error: unknown) => {
  const failure = error instanceof PlanError ? error : planFailure(error);
  process.stderr.write(`${failure.message}\n`);
  process.exit(failure.exitCode);
});
