import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as pulumi from '@pulumi/pulumi';
import { repoRoot } from '../paths';

/**
 * Prints, by resource name, each dynamic provider as Pulumi serialises it for the resources
 * `declare` creates; a script calling it runs under tsx, the loader `pulumi up` uses.
 */
export async function printSerialisedProviders(declare: () => pulumi.Resource[]): Promise<void> {
  const serialised: Record<string, string> = {};
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        serialised[args.name] = args.inputs.__provider as string;
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'read-aloud',
    'staging',
  );
  const resources = declare();
  await new Promise((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(resolve));
  process.stdout.write(JSON.stringify(serialised));
}

/** Runs a script that calls `printSerialisedProviders` in a second process; its providers by name. */
export function serialisedProviders(script: string): Map<string, string> {
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return new Map(Object.entries(JSON.parse(run.stdout) as Record<string, string>));
}

/** Loads the provider text in a fresh Node process, as Pulumi's dynamic provider host does. */
export async function createInFreshProcess(provider: string, inputs: unknown) {
  const dir = mkdtempSync(path.join(tmpdir(), 'provider-'));
  const file = path.join(dir, 'provider.js');
  writeFileSync(file, provider);
  const script = `require(${JSON.stringify(file)}).handler().create(${JSON.stringify(inputs)})
    .then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e.message); process.exit(1); });`;
  // Asynchronous: a fake API answers from this process's event loop.
  return promisify(execFile)(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') },
  });
}
