import { spawn } from 'node:child_process';

export interface CommandRun {
  /** null when a signal ended it. */
  code: number | null;
  stdout: string;
  /** stdout and stderr as they came. */
  output: string;
}

/**
 * Runs a command to its end and collects what it printed; `echo` also passes that to stderr as it
 * comes. Rejects only when the command cannot start: callers read the exit code.
 */
export function runCommand(
  command: string,
  args: string[],
  { cwd, env, echo = false }: { cwd?: string; env?: NodeJS.ProcessEnv; echo?: boolean } = {},
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (echo) process.stderr.write(chunk);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      collect(chunk);
    });
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, output }));
  });
}
