import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalBackend } from '../../scripts/local-backend';
import { functionProcessEnv, serveFunction } from '../../scripts/local-backend/functions';
import { REPO_ROOT } from '../../scripts/local-backend/migrations';
import { FUNCTION_NAMES } from '../functions/_shared/functions.ts';
import { START_TIMEOUT_MS } from './database';

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Live (not zombie) processes, each with its parent. */
function processTable(): Map<number, { ppid: number; state: string }> {
  const table = new Map<number, { ppid: number; state: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') table.set(Number(entry), { ppid: Number(ppid), state: state! });
    } catch {
      // It ended while we looked.
    }
  }
  return table;
}

function descendants(pid: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, { ppid }] of table) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** A process's arguments; none once it has gone. */
function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

describe('the local backend', () => {
  it(
    'stops everything it started',
    async () => {
      const backend = await startLocalBackend();
      const urls = [
        backend.url,
        backend.dbUrl,
        backend.speechEndpoint.url,
        ...backend.functionUrls.values(),
      ];
      const ports = urls.map((url) => Number(new URL(url).port));
      // The gateway, Postgres and the fake endpoint, then one port per function.
      expect(ports).toHaveLength(3 + FUNCTION_NAMES.length);
      expect(await Promise.all(ports.map(listening))).toEqual(ports.map(() => true));

      await backend.stop();
      expect(await Promise.all(ports.map(listening))).toEqual(ports.map(() => false));
    },
    START_TIMEOUT_MS,
  );

  it('hands the functions the CA bundle this machine trusts, so Deno can fetch on a cold cache', () => {
    const base = { PATH: '/usr/bin' };
    expect(functionProcessEnv({}, 1, { ...base, SSL_CERT_FILE: '/ca.pem' }).DENO_CERT).toBe(
      '/ca.pem',
    );
    expect(
      functionProcessEnv({}, 1, { ...base, SSL_CERT_FILE: '/ca.pem', DENO_CERT: '/deno.pem' })
        .DENO_CERT,
    ).toBe('/deno.pem');
    expect(functionProcessEnv({}, 1, base)).not.toHaveProperty('DENO_CERT');
  });

  describe('a function process', () => {
    const saved = { SSL_CERT_FILE: process.env.SSL_CERT_FILE, DENO_CERT: process.env.DENO_CERT };
    afterEach(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it(
      'runs with DENO_CERT set to the SSL_CERT_FILE of the process that started it',
      async () => {
        delete process.env.DENO_CERT;
        process.env.SSL_CERT_FILE = '/etc/test-only/custom-ca.pem';
        const served = await serveFunction('stripe-webhook', {
          SUPABASE_DB_URL: 'postgresql://nobody@127.0.0.1:1/none',
          STRIPE_WEBHOOK_SECRET: 'whsec_' + 'test',
        });
        try {
          const environ = readFileSync(`/proc/${served.pid}/environ`, 'utf8').split('\0');
          expect(environ).toContain('DENO_CERT=/etc/test-only/custom-ca.pem');
        } finally {
          await served.stop();
        }
      },
      START_TIMEOUT_MS,
    );
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '`npm run dev:backend` stopped by %s ends every process it started and removes its files',
    async (signal) => {
      // Its own process group, so that a failed test can still clean up after it.
      const npm = spawn('npm', ['run', 'dev:backend'], {
        cwd: REPO_ROOT,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
      try {
        let output = '';
        // Bounded here rather than by the test's timeout, so that `finally` always cleans up.
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`dev:backend not ready:\n${output}`)),
            START_TIMEOUT_MS,
          );
          npm.stdout!.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes('Ctrl-C stops everything')) {
              clearTimeout(timer);
              resolve();
            }
          });
          npm.stderr!.resume();
          void exited.then(() => reject(new Error(`dev:backend exited early:\n${output}`)));
        });
        const started = descendants(npm.pid!);
        const postgres = started.find((pid) => commandLine(pid)[0]?.endsWith('/bin/postgres'));
        const args = commandLine(postgres!);
        const dataDir = args[args.indexOf('-D') + 1]!;
        expect(existsSync(dataDir)).toBe(true);
        expect(
          started.filter((pid) => commandLine(pid).some((arg) => arg.endsWith('index.ts'))),
        ).toHaveLength(FUNCTION_NAMES.length);

        process.kill(npm.pid!, signal);
        // Shutting down takes a moment; give it a generous while, then look at what is left.
        let alive = [npm.pid!, ...started];
        for (let tries = 0; tries < 150 && alive.length > 0; tries += 1) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          const table = processTable();
          alive = alive.filter((pid) => table.has(pid));
        }
        expect(alive.map((pid) => commandLine(pid).join(' '))).toEqual([]);
        expect(existsSync(dataDir.replace(/\/data$/, ''))).toBe(false);
      } finally {
        try {
          process.kill(-npm.pid!, 'SIGKILL');
        } catch {
          // Already gone, as it should be.
        }
      }
    },
    START_TIMEOUT_MS + 60_000,
  );
});
