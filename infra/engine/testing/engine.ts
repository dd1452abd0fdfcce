import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../paths';
import { runCommand } from '../../run-command';
import type { FakeManagementApi } from '../../supabase/testing/fake-management-api';
import { REF } from '../../supabase/testing/fake-project';

/** Where scripts/engine/build.sh puts the CLI, the Node.js language host and the dynamic-provider plugin. */
const ENGINE_BIN = path.join(repoRoot, '.cache', 'engine', 'bin');

/**
 * A project in a temporary folder whose program is `program` (a file of this repository), with a
 * `file://` state backend and the passphrase secrets provider beside it, run by the built CLI
 * with nothing to call home for: plugins only from PATH, no update check.
 */
export function engineProject(program: string, passphrase: string) {
  if (!existsSync(path.join(ENGINE_BIN, 'pulumi'))) {
    throw new Error(`no Pulumi engine in ${ENGINE_BIN}: run bash scripts/engine/build.sh`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'engine-'));
  const cwd = path.join(dir, 'project');
  const state = path.join(dir, 'state');
  for (const folder of [cwd, state]) mkdirSync(folder);
  writeFileSync(
    path.join(cwd, 'Pulumi.yaml'),
    `name: engine-e2e\nruntime: nodejs\nmain: ${JSON.stringify(program)}\n`,
  );
  // The language host runs the @pulumi/pulumi it finds from the project folder.
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(cwd, 'node_modules'));
  const env = {
    PATH: `${ENGINE_BIN}${path.delimiter}${process.env.PATH ?? ''}`,
    PULUMI_HOME: path.join(dir, 'pulumi-home'),
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
  };
  /** Runs the CLI in the project; a non-zero exit is for the caller to read. */
  const pulumi = (...args: string[]) =>
    runCommand('pulumi', [...args, '--non-interactive'], { cwd, env });
  /** Runs the CLI and throws with its output unless it exits 0; the message names only the command, never a value set. */
  const mustRun = async (...args: string[]) => {
    const result = await pulumi(...args);
    if (result.code !== 0)
      throw new Error(`pulumi ${args.slice(0, 2).join(' ')}: ${result.output}`);
    return result;
  };
  // rm unlinks the node_modules link; it does not follow it.
  const remove = () => rmSync(dir, { recursive: true, force: true });
  return { pulumi, mustRun, remove };
}

export type EngineProject = ReturnType<typeof engineProject>;

/** The program of the stacks' Supabase components (supabase-program.ts). */
export const SUPABASE_PROGRAM = path.join(__dirname, 'supabase-program.ts');

/**
 * Creates `stack` for the Supabase program, configured to reach `api` and write `hfToken`, its
 * resources protected from deletion when `protect` is set.
 */
export async function initSupabaseStack(
  { mustRun }: EngineProject,
  {
    stack,
    api,
    hfToken,
    protect = false,
  }: { stack: string; api: FakeManagementApi; hfToken: string; protect?: boolean },
) {
  const settings: [string, string, boolean][] = [
    ['projectRef', REF, false],
    ['apiUrl', api.url, false],
    ['siteUrl', 'https://read-aloud.app', false],
    ['accessToken', api.token, true],
    ['hfToken', hfToken, true],
    ['protect', String(protect), false],
  ];
  const steps = [
    ['stack', 'init', stack],
    ...settings.map(([key, value, secret]) => [
      'config',
      'set',
      ...(secret ? ['--secret'] : []),
      key,
      value,
    ]),
  ];
  for (const args of steps) await mustRun(...args);
}
