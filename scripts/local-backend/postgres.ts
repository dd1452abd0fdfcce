import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, run, waitForExit } from './processes';

/** Debian's postgresql-15 puts its server binaries here, off the PATH. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';
const PLATFORM_SQL = join(__dirname, 'platform.sql');

export interface LocalPostgres {
  /** postgresql://postgres@127.0.0.1:PORT/postgres, superuser like the platform's `postgres`. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Postgres refuses to run as root, so as root the cluster belongs to the postgres user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(run('id', [flag, 'postgres']).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** A throwaway Postgres 15 with pg_cron on a free port, with what Supabase's platform provides. */
export async function startPostgres(): Promise<LocalPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'read-aloud-pg-'));
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, 'data');
  run(join(PG_BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], {
    ...user,
  });

  const port = await freePort();
  const server: ChildProcess = spawn(
    join(PG_BIN, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'shared_preload_libraries=pg_cron',
      '-c',
      'cron.database_name=postgres',
      '-c',
      'cron.use_background_workers=on',
      '-c',
      'max_worker_processes=16',
      '-c',
      'fsync=off',
    ],
    { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const exited = waitForExit(server);

  const url = `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  const stop = async () => {
    // SIGINT is Postgres' fast shutdown: roll back open transactions and exit.
    if (server.exitCode === null) server.kill('SIGINT');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(port, exited, () => log);
    psql(url, ['-f', PLATFORM_SQL]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, stop };
}

async function waitUntilReady(port: number, exited: Promise<unknown>, log: () => string) {
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`postgres exited during start-up:\n${log()}`);
    try {
      run(join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** psql that stops at the first error, for scripts. */
export function psql(url: string, args: string[]): string {
  return run(join(PG_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args]);
}
