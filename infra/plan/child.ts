import program from '../index';
import { ConfigError } from '../config';
import { runStack, type PlanOptions } from './run-stack';

// One stack per process: the Pulumi runtime is process-global. Options arrive on stdin so that
// secret values never appear on a command line.
async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { stack, options } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    stack: string;
    options: PlanOptions;
  };
  const plan = await runStack(stack, program, options);
  process.stdout.write(JSON.stringify(plan));
}

main().catch((error: unknown) => {
  const known =
    error instanceof ConfigError ||
    (error instanceof Error && /^Unknown stack/.test(error.message));
  process.stderr.write(`${error instanceof Error && known ? error.message : String(error)}\n`);
  process.exit(known ? 2 : 1);
});
