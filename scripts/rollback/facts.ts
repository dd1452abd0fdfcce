import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fullKey, SETTINGS, STACKS, type SettingKey, type StackSettings } from '../../infra/config';
import { readStackFile } from '../../infra/plan/stack-file';
import type { RollbackFacts } from './plan';

/** One validated, non-secret setting of a stack, read from its stack file. */
export function stackSetting<K extends SettingKey>(
  root: string,
  stack: string,
  key: K,
): StackSettings[K] {
  const raw = readStackFile(stack, root).values[fullKey(key)];
  const spec = SETTINGS[key];
  return spec.schema.parse(
    raw === undefined || !spec.json ? raw : JSON.parse(raw),
  ) as StackSettings[K];
}

const git = (root: string, args: string[]) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8' });
const lines = (text: string) => text.split('\n').filter(Boolean);
const versionOf = (file: string) => file.split('_')[0] ?? file;

/** The deploy workflow of a stack's environment, as the repository names them. */
export const deployWorkflowOf = (environment: string) => `deploy-${environment}.yml`;

/**
 * The URL of a run of the stack's deploy workflow that is queued or in progress, from the GitHub
 * REST API; refuses to guess when it cannot ask.
 */
export async function runningDeploy(
  env: NodeJS.ProcessEnv,
  repository: string,
  workflow: string,
): Promise<string | undefined> {
  const token = env.GITHUB_TOKEN;
  if (!token) {
    throw new Error(
      'GITHUB_TOKEN is not set: it is needed to check that no deploy of the stack is running',
    );
  }
  const api = env.GITHUB_API_URL ?? 'https://api.github.com';
  for (const status of ['in_progress', 'queued']) {
    const response = await fetch(
      `${api}/repos/${repository}/actions/workflows/${workflow}/runs?status=${status}&per_page=1`,
      { headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' } },
    );
    if (!response.ok) {
      throw new Error(`GitHub answered ${response.status} listing the runs of ${workflow}`);
    }
    const { workflow_runs: runs } = (await response.json()) as {
      workflow_runs: { html_url: string }[];
    };
    if (runs[0] !== undefined) return runs[0].html_url;
  }
  return undefined;
}

/** What the planner needs that git and the stack files know (not GitHub, not the database). */
export function repositoryFacts(
  root: string,
  { stack, tag }: { stack: string; tag: string },
): Omit<RollbackFacts, 'appliedMigrations' | 'revertDatabase' | 'runningDeploy'> {
  const tags = lines(git(root, ['tag', '--list']));
  const downDir = path.join(root, 'supabase/migrations-down');
  return {
    stack,
    tag,
    tags,
    dirtyPaths: lines(git(root, ['status', '--porcelain'])).map((l) => l.slice(3)),
    deployTags: Object.fromEntries(
      STACKS.map((s) => [s, stackSetting(root, s, 'deploymentRefs').tags]),
    ),
    migrationsAtTag: tags.includes(tag)
      ? lines(git(root, ['ls-tree', '--name-only', `${tag}:supabase/migrations`]))
          .filter((f) => f.endsWith('.sql'))
          .map(versionOf)
      : [],
    downScripts: existsSync(downDir)
      ? Object.fromEntries(
          readdirSync(downDir).map((f) => [
            versionOf(f),
            readFileSync(path.join(downDir, f), 'utf8'),
          ]),
        )
      : {},
  };
}
