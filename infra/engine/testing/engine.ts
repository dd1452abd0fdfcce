import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../paths';

/** Where scripts/engine/build.sh puts the CLI, the Node.js language host and the dynamic-provider plugin. */
export const ENGINE_BIN = path.join(repoRoot, '.cache', 'engine', 'bin');

export interface CliResult {
  code: number | null;
  stdout: string;
  output: string;
}

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
  /** Runs the CLI in the project; never rejects on a non-zero exit, which tests read. */
  const pulumi = (...args: string[]) =>
    new Promise<CliResult>((resolve, reject) => {
      const child = spawn('pulumi', [...args, '--non-interactive'], {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        output += chunk.toString('utf8');
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, output }));
    });
  return { pulumi };
}
