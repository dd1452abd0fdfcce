import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './migrations';
import { freePort, waitForExit } from './processes';

export const FUNCTION_NAMES = ['tts', 'log-error', 'stripe-webhook', 'health'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

const FUNCTIONS_DIR = join(REPO_ROOT, 'supabase/functions');

export interface ServedFunction {
  port: number;
  /** The Deno process (deno.sh execs it), to inspect what it was given. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * The environment a function process gets: `env`, PATH, and the CA bundle this machine trusts, so
 * that Deno can fetch the functions' npm packages on a cold cache behind a TLS-inspecting proxy.
 */
export function functionProcessEnv(
  env: Record<string, string>,
  port: number,
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  // Deno trusts only its built-in roots unless DENO_CERT names a bundle; SSL_CERT_FILE is what
  // OpenSSL-based tools (and so most machines with a custom CA) set.
  const caFile = parent.DENO_CERT || parent.SSL_CERT_FILE;
  return {
    PATH: parent.PATH ?? '',
    ...(caFile ? { DENO_CERT: caFile } : {}),
    DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
    NO_COLOR: '1',
    ...env,
  };
}

/**
 * Runs one function's index.ts in Deno on a free port, with `env` as its whole environment
 * (plus PATH and the CA bundle), like the platform does. Rejects with its output if it exits
 * before listening.
 */
export async function serveFunction(
  name: FunctionName,
  env: Record<string, string>,
  { forwardLogs = false } = {},
): Promise<ServedFunction> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'bash',
    [
      join(REPO_ROOT, 'scripts/deno.sh'),
      'run',
      '--allow-net',
      '--allow-env',
      '--allow-read',
      '--allow-sys',
      `${name}/index.ts`,
    ],
    {
      cwd: FUNCTIONS_DIR,
      env: functionProcessEnv(env, port),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = waitForExit(child);
  let output = '';
  const streams = [child.stdout!, child.stderr!];
  await new Promise<void>((resolve, reject) => {
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Listening on')) resolve();
    };
    for (const stream of streams) stream.on('data', watch);
    void exited.then(() =>
      reject(new Error(`function ${name} exited before listening:\n${output}`)),
    );
  }).finally(() => {
    for (const stream of streams) stream.removeAllListeners('data');
  });
  // Keep draining the pipes, or a chatty function would block on a full one.
  for (const stream of streams) {
    if (forwardLogs)
      stream.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
    else stream.resume();
  }
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface FunctionsGateway {
  /** What SUPABASE_URL is on the platform: functions live under /functions/v1/<name>. */
  url: string;
  stop(): Promise<void>;
}

/** Routes /functions/v1/<name> to the function's own port, as the platform's gateway does. */
export async function startGateway(ports: Map<string, number>): Promise<FunctionsGateway> {
  const server = createServer((req, res) => {
    const name = /^\/functions\/v1\/([\w-]+)/.exec(req.url ?? '')?.[1];
    const port = name ? ports.get(name) : undefined;
    if (!port) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: 'no such function' } }));
      return;
    }
    const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean);
    const headers = { ...req.headers, 'x-forwarded-for': forwarded.join(', ') };
    const upstream = request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
