import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fullKey, secretGivenAsSetting, secretKeys, STACKS } from '../config';
import { comparePlans } from './compare';
import { renderComputeSideBySide } from './endpoint-cost';
import { PlanError, planStacks } from './plan';
import { renderComparison, renderPlan } from './render';
import { qualify, type StackPlan } from './run-stack';

const USAGE = `Usage: npm run plan -- [options]

The desired state of each stack, offline: the real program under Pulumi's mocks.

  --stack NAME          plan this stack (repeatable; default: staging, then prod)
  --json FILE           also write the plans as stable, sorted JSON
  --compare             show what differs between the two stacks planned
  --config KEY=VALUE    override a non-secret setting for this run (repeatable)
  --secrets-file FILE   YAML or JSON map of secret values for this run (never printed)

Exit codes: 0 ok, 2 invalid config or usage, 3 policy violations.`;

/** JSON with every object's keys sorted, so plans diff and snapshot cleanly. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

function parseOverrides(pairs: string[], stacks: string[]): Record<string, string> {
  const overrides = Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new PlanError(`--config expects KEY=VALUE, got '${pair}'`, 2);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  const secret = secretKeys.find((key) =>
    Object.keys(overrides).some((name) => qualify(name) === fullKey(key)),
  );
  if (secret !== undefined) throw new PlanError(secretGivenAsSetting(secret, stacks), 2);
  return overrides;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string', multiple: true },
      json: { type: 'string' },
      compare: { type: 'boolean', default: false },
      config: { type: 'string', multiple: true, default: [] },
      'secrets-file': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const stacks = values.stack ?? STACKS;
  if (values.compare && stacks.length !== 2) {
    throw new PlanError(`--compare needs exactly two stacks, got ${stacks.join(', ')}`, 2);
  }
  const secretsFile = values['secrets-file'];
  const options = {
    overrides: parseOverrides(values.config, stacks),
    // Its YAML parser, which keeps line numbers for errors, loads only for a secrets file.
    secrets:
      secretsFile === undefined
        ? undefined
        : (await import('./secrets-file.ts')).readSecretsFile(secretsFile),
  };
  // The program and its providers load only once the other stacks' processes have started.
  const plans: StackPlan[] = await planStacks(stacks, options, async (stack, stackOptions) =>
    (await import('./in-process.ts')).planInProcess(stack, stackOptions),
  );

  console.log(plans.map(renderPlan).join('\n\n'));
  if (values.compare) {
    const [a, b] = plans as [StackPlan, StackPlan];
    console.log(`\n${renderComparison(a.stack, b.stack, comparePlans(a, b))}`);
    console.log(`\n${renderComputeSideBySide(plans)}`);
  }
  if (values.json !== undefined) {
    writeFileSync(values.json, stableJson(Object.fromEntries(plans.map((p) => [p.stack, p]))));
  }
  return plans.some((p) => p.violations.length > 0) ? 3 : 0;
}

/** Runs the CLI and exits with its code. */
export function run(argv: string[]): void {
  main(argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const usage = error instanceof TypeError && 'code' in error; // parseArgs rejects unknown flags
      console.error(error instanceof Error ? error.message : String(error));
      if (usage) console.error(`\n${USAGE}`);
      process.exit(error instanceof PlanError ? error.exitCode : usage ? 2 : 1);
    },
  );
}

if (require.main === module) run(process.argv.slice(2));
