import { execFileSync, type ChildProcess, type ExecFileSyncOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { basename } from 'node:path';

/** Runs a program to completion; a failure throws with its stderr, which names what went wrong. */
export function run(file: string, args: string[], options: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: 'pipe', ...options }).toString();
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: Buffer | string; stdout?: Buffer | string };
    // No `cause`, no arguments: the command line may hold a database password.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`${basename(file)} failed:\n${String(stderr ?? '')}${String(stdout ?? '')}`);
  }
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the child has exited, whenever that happens. */
export function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
