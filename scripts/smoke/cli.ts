import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { STACKS } from '../../infra/config';
import { endpointsClientFromEnv } from '../../infra/hf/endpoints-client-from-env';
import { stackStoreCredentials, stackStoreItem } from '../../infra/extension/stack-store';
import { readStoreStatus, type Revision } from '../../infra/extension/store';
import { repoRoot } from '../../infra/paths';
import { readApiKey } from '../../infra/supabase/api-key';
import { MANAGEMENT_API_URL } from '../../infra/supabase/project';
import { stackSetting } from '../rollback/facts';
import { rollbackCommand, summaryMarkdown } from './report';
import { runSmoke, type StoreItemReader } from './smoke';

const USAGE = `usage: npm run smoke -- --stack STACK
  the post-deploy smoke test of STACK. Reads SMOKE_USER_EMAIL, SMOKE_USER_PASSWORD, HF_TOKEN and
  SUPABASE_ANON_KEY (or SUPABASE_ACCESS_TOKEN to look it up); SUPABASE_URL and HF_ENDPOINT_URL
  override the stack's own. Writes the job summary to GITHUB_STEP_SUMMARY when set.`;

/** The project's anon key from the Management API, when the environment does not give it. */
async function anonKey(env: NodeJS.ProcessEnv, projectRef: string): Promise<string> {
  if (env.SUPABASE_ANON_KEY) return env.SUPABASE_ANON_KEY;
  return readApiKey({
    projectRef,
    apiUrl: env.SUPABASE_API_URL ?? MANAGEMENT_API_URL,
    accessToken: env.SUPABASE_ACCESS_TOKEN!,
    keyName: 'anon',
  });
}

/** The URL the tts function calls: the stack's endpoint's own, read with the management token. */
async function endpointUrl(env: NodeJS.ProcessEnv, stack: string): Promise<string> {
  if (env.HF_ENDPOINT_URL) return env.HF_ENDPOINT_URL;
  const [namespace, name] = String(stackSetting(repoRoot, stack, 'hfEndpoint')).split('/');
  const client = endpointsClientFromEnv(env, { token: env.HF_TOKEN!, retries: 2 });
  const { url } = (await client.getEndpoint(namespace!, name!)).status;
  if (!url) throw new Error(`the speech endpoint ${namespace}/${name} reports no URL`);
  return url;
}

/** The stack's store item as the store reports it, with the stack's store credentials. */
const storeItemReader = (stack: string, env: NodeJS.ProcessEnv): StoreItemReader => ({
  async read() {
    const status = await readStoreStatus({
      ...stackStoreItem(stack),
      ...stackStoreCredentials(stack, env),
    });
    const revision = (r: Revision | undefined) =>
      r === undefined ? undefined : { state: r.state, version: r.version ?? '(none)' };
    return {
      takenDown: status.takenDown,
      published: revision(status.published),
      submitted: revision(status.submitted),
    };
  },
});

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { stack: { type: 'string' } } });
  const stack = values.stack;
  if (!stack || !STACKS.includes(stack)) {
    console.error(`${USAGE}\n  STACK: one of ${STACKS.join(', ')}`);
    return 2;
  }
  const env = process.env;
  const required = ['SMOKE_USER_EMAIL', 'SMOKE_USER_PASSWORD', 'HF_TOKEN'];
  if (!env.SUPABASE_ANON_KEY) required.push('SUPABASE_ACCESS_TOKEN');
  const missing = required.filter((name) => !env[name]);
  if (missing.length > 0) {
    console.error(`smoke test cannot start: ${missing.join(', ')} not set\n${USAGE}`);
    return 2;
  }
  const projectRef = stackSetting(repoRoot, stack, 'supabaseProjectRef');
  const results = await runSmoke({
    supabaseUrl: env.SUPABASE_URL ?? `https://${projectRef}.supabase.co`,
    anonKey: await anonKey(env, projectRef),
    user: { email: env.SMOKE_USER_EMAIL!, password: env.SMOKE_USER_PASSWORD! },
    endpoint: {
      url: await endpointUrl(env, stack),
      token: env.HF_TOKEN!,
    },
    store: storeItemReader(stack, env),
  });
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.step}: ${r.message}`);
  const tags = execFileSync('git', ['tag', '--list'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const rollback = rollbackCommand(
    stack,
    {
      ref: env.GITHUB_REF ?? '',
      sha:
        env.GITHUB_SHA ??
        execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim(),
    },
    tags,
  );
  if (env.GITHUB_STEP_SUMMARY) {
    appendFileSync(env.GITHUB_STEP_SUMMARY, summaryMarkdown(stack, results, rollback));
  }
  if (results.every((r) => r.ok)) return 0;
  for (const r of results.filter((r) => !r.ok)) {
    console.log(`::error title=smoke test of ${stack}::${r.step}: ${r.message}`);
  }
  console.log(`\nthe smoke test of ${stack} failed; roll back with:\n  ${rollback}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`smoke test failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
