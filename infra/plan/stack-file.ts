import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { stackFile } from '../config';
import { repoRoot } from '../paths';

export interface StackFile {
  /** `project:key` -> value as Pulumi hands it to a program (structured values as JSON). */
  values: Record<string, string>;
  /** Keys stored encrypted (`secure:`); their ciphertext is not a value the plan can use. */
  secureKeys: string[];
}

export function knownStacks(root = repoRoot): string[] {
  return readdirSync(path.join(root, 'stacks'))
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

export function readStackFile(stack: string, root = repoRoot): StackFile {
  const file = path.join(root, stackFile(stack));
  if (!existsSync(file)) {
    throw new Error(
      `Unknown stack '${stack}': no ${stackFile(stack)}. Known stacks: ${knownStacks(root).join(', ')}`,
    );
  }
  const doc = (load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA }) ?? {}) as {
    config?: Record<string, unknown>;
  };
  const values: Record<string, string> = {};
  const secureKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (isSecure(value)) secureKeys.push(key);
    else values[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return { values, secureKeys };
}

function isSecure(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'secure' in value;
}
