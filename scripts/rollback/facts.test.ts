import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/paths';
import { repositoryFacts, runningDeploy } from './facts';

describe('the facts a rollback is planned from', () => {
  let root: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root });

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'rollback-facts-'));
    cpSync(path.join(repoRoot, 'stacks'), path.join(root, 'stacks'), { recursive: true });
    mkdirSync(path.join(root, 'supabase/migrations'), { recursive: true });
    mkdirSync(path.join(root, 'supabase/migrations-down'), { recursive: true });
    writeFileSync(path.join(root, 'supabase/migrations/001_a.sql'), 'create table a();');
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'feat: a');
    git('tag', 'v1.0.0');
    writeFileSync(path.join(root, 'supabase/migrations/002_b.sql'), 'create table b();');
    writeFileSync(path.join(root, 'supabase/migrations-down/002_b.sql'), 'drop table b;');
    git('add', '.');
    git('commit', '-qm', 'feat: b');
    git('tag', 'v1.1.0');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads the tags, the migrations each tag ships, the down scripts and the stacks’ deploy tags', () => {
    writeFileSync(path.join(root, 'scratch.txt'), 'x');
    const facts = repositoryFacts(root, { stack: 'prod', tag: 'v1.0.0' });
    rmSync(path.join(root, 'scratch.txt'));
    expect(facts).toEqual({
      stack: 'prod',
      tag: 'v1.0.0',
      tags: ['v1.0.0', 'v1.1.0'],
      dirtyPaths: ['scratch.txt'],
      deployTags: { staging: [], prod: ['v*'] },
      migrationsAtTag: ['001'],
      downScripts: { '002': 'drop table b;' },
    });
    expect(repositoryFacts(root, { stack: 'prod', tag: 'v9.0.0' }).migrationsAtTag).toEqual([]);
  });

  describe('a deploy in progress, from the GitHub API', () => {
    let server: Server;
    let api: string;
    const runs: Record<string, { html_url: string }[]> = { in_progress: [], queued: [] };
    let status = 200;
    beforeAll(async () => {
      server = createServer((req, res) => {
        const url = new URL(req.url ?? '', 'http://x');
        const ok =
          url.pathname === '/repos/o/r/actions/workflows/deploy-production.yml/runs' &&
          req.headers.authorization === 'Bearer t0k';
        res.writeHead(ok ? status : 404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            ok && status === 200
              ? { total_count: 1, workflow_runs: runs[url.searchParams.get('status')!] ?? [] }
              : { message: 'Not Found' },
          ),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));
    const env = () => ({ GITHUB_TOKEN: 't0k', GITHUB_API_URL: api });

    it('is none when no run is queued or in progress', async () => {
      expect(await runningDeploy(env(), 'o/r', 'deploy-production.yml')).toBeUndefined();
    });

    it('is the queued or running run', async () => {
      runs.queued = [{ html_url: 'https://github.com/o/r/actions/runs/2' }];
      expect(await runningDeploy(env(), 'o/r', 'deploy-production.yml')).toBe(
        'https://github.com/o/r/actions/runs/2',
      );
      runs.in_progress = [{ html_url: 'https://github.com/o/r/actions/runs/1' }];
      expect(await runningDeploy(env(), 'o/r', 'deploy-production.yml')).toBe(
        'https://github.com/o/r/actions/runs/1',
      );
    });

    it('cannot be ruled out without a token or when GitHub fails', async () => {
      await expect(runningDeploy({}, 'o/r', 'deploy-production.yml')).rejects.toThrow(
        'GITHUB_TOKEN is not set: it is needed to check that no deploy of the stack is running',
      );
      status = 500;
      await expect(runningDeploy(env(), 'o/r', 'deploy-production.yml')).rejects.toThrow(
        'GitHub answered 500 listing the runs of deploy-production.yml',
      );
    });
  });
});
