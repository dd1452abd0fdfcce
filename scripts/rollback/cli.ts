import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { repoRoot } from '../../infra/paths';
import { databaseUrl } from '../../infra/supabase/commands';
import { deployWorkflowOf, repositoryFacts, runningDeploy, stackSetting } from './facts';
import { planRollback, type RollbackFacts, type RollbackPlan } from './plan';

const USAGE = `usage: npm run rollback -- --stack STACK --to vX.Y.Z [--reason TEXT] [--revert-database] [--dry-run]
  brings STACK back to what the release tag declares: pulumi up of the tag, the store item's
  :rollback, then the smoke test. The database is reverted only with --revert-database.
  needs GITHUB_TOKEN (to check no deploy runs) and SUPABASE_DB_URL or SUPABASE_DB_PASSWORD.`;

async function appliedMigrations(dbUrl: string): Promise<string[]> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {}, connect_timeout: 30 });
  try {
    const rows = await sql<{ version: string }[]>`
      select version from supabase_migrations.schema_migrations order by version`;
    return rows.map((r) => r.version);
  } finally {
    await sql.end();
  }
}

function printPlan(plan: Extract<RollbackPlan, { ok: true }>, tag: string) {
  console.log(`rollback plan to ${tag}:`);
  for (const [i, step] of plan.steps.entries()) {
    console.log(`  ${i + 1}. ${step.title}\n     $ ${step.command.join(' ')}`);
  }
  for (const note of plan.notes) console.log(`  note: ${note}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: 'string' },
      to: { type: 'string' },
      reason: { type: 'string' },
      'revert-database': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const { stack, to: tag } = values;
  if (!stack || !tag) {
    console.error(USAGE);
    return 2;
  }
  const facts: RollbackFacts = {
    ...repositoryFacts(repoRoot, { stack, tag }),
    appliedMigrations: [],
    revertDatabase: values['revert-database'],
  };
  // Refusals that git alone decides come first: no credentials are asked for a wrong tag.
  const early = planRollback(facts);
  if (!early.ok) {
    console.error(`rollback refused: ${early.refusal}`);
    return 2;
  }
  const env = process.env;
  const password = env.SUPABASE_DB_PASSWORD;
  const dbUrl =
    env.SUPABASE_DB_URL ??
    (password ? databaseUrl(stackSetting(repoRoot, stack, 'supabaseProjectRef'), password) : '');
  if (!dbUrl) {
    console.error(
      'rollback refused: set SUPABASE_DB_URL or SUPABASE_DB_PASSWORD to compare migrations',
    );
    return 2;
  }
  facts.runningDeploy = await runningDeploy(
    env,
    env.GITHUB_REPOSITORY ?? stackSetting(repoRoot, stack, 'githubRepository'),
    deployWorkflowOf(stackSetting(repoRoot, stack, 'environment')),
  );
  facts.appliedMigrations = await appliedMigrations(dbUrl);
  const plan = planRollback(facts);
  if (!plan.ok) {
    console.error(`rollback refused: ${plan.refusal}`);
    return 2;
  }
  printPlan(plan, tag);
  if (values.reason) console.log(`  reason: ${values.reason}`);
  if (values['dry-run']) return 0;

  const tagTree = mkdtempSync(path.join(tmpdir(), `rollback-${tag}-`));
  try {
    execFileSync('git', ['worktree', 'add', '--detach', tagTree, tag], { cwd: repoRoot });
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: tagTree, stdio: 'inherit' });
    for (const step of plan.steps) {
      console.log(`\n== ${step.title}`);
      const [file, ...args] = step.command as [string, ...string[]];
      const result = spawnSync(file, args, {
        cwd: step.inTagTree ? tagTree : repoRoot,
        // The tag's program stamps the tag's version, as its own deploy did.
        env: { ...env, SUPABASE_DB_URL: dbUrl, EXTENSION_VERSION: tag.slice(1) },
        stdio: 'inherit',
      });
      if (result.status !== 0) {
        console.error(`rollback stopped: '${step.command.join(' ')}' failed (${step.title})`);
        return 1;
      }
    }
    console.log(`\n${stack} is back at ${tag}`);
    return 0;
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', tagTree], { cwd: repoRoot });
    rmSync(tagTree, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rollback failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
