import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { droppedBy, planRollback, type RollbackFacts } from './plan';

const facts = (over: Partial<RollbackFacts> = {}): RollbackFacts => ({
  stack: 'prod',
  tag: 'v1.4.2',
  tags: ['v1.4.1', 'v1.4.2', 'v1.5.0', 'v1.5.0-rc.1', 'nightly'],
  dirtyPaths: [],
  deployTags: { staging: [], prod: ['v*'] },
  appliedMigrations: ['001', '002'],
  migrationsAtTag: ['001', '002'],
  downScripts: { '001': 'drop table public.a;', '002': 'drop table public.b, public.c;' },
  revertDatabase: false,
  ...over,
});

const commands = (plan: ReturnType<typeof planRollback>) =>
  plan.ok ? plan.steps.map((s) => s.command.join(' ')) : [plan.refusal];

describe('the rollback planner', () => {
  it('brings the stack to the tag: pulumi up of the tag, the store rollback, then the smoke test', () => {
    const plan = planRollback(facts());
    expect(commands(plan)).toEqual([
      'pulumi up --stack prod --policy-pack infra/policy/pack --yes',
      'npm run extension:rollback -- --stack prod --to 1.4.2',
      'npm run smoke -- --stack prod',
    ]);
    expect(plan.ok && plan.steps.map((s) => s.inTagTree)).toEqual([true, false, false]);
    expect(plan.ok && plan.notes).toEqual([
      'data lost or damaged is brought back by point-in-time recovery, not by a rollback',
    ]);
  });

  it('reports newer migrations and leaves the database alone without the explicit flag', () => {
    const plan = planRollback(facts({ appliedMigrations: ['001', '002', '003', '004'] }));
    expect(commands(plan)).not.toContainEqual(expect.stringContaining('db:rollback'));
    expect(plan.ok && plan.notes[0]).toBe(
      'the database keeps migrations 003, 004 that v1.4.2 does not have; revert them with ' +
        "--revert-database (runs their down scripts) only if v1.4.2's code needs it",
    );
  });

  it('with the flag, reverts to the tag’s last migration before the smoke test and says what each down script drops', () => {
    const plan = planRollback(
      facts({
        appliedMigrations: ['001', '002', '003', '004'],
        downScripts: {
          '003': 'alter table x drop column y;\ndrop table public.usage,\n  public.profiles;',
          '004': 'revoke select on t from r;',
        },
        revertDatabase: true,
      }),
    );
    expect(commands(plan).slice(2)).toEqual([
      'npm run db:rollback -- --to 002',
      'npm run smoke -- --stack prod',
    ]);
    expect(plan.ok && plan.notes.slice(0, 2)).toEqual([
      'down script of 004 drops no table, schema, column or extension',
      'down script of 003 drops column y; table public.usage, public.profiles',
    ]);
  });

  it('names what the repository’s own down scripts drop', () => {
    const dir = join(__dirname, '../../supabase/migrations-down');
    expect(droppedBy(readFileSync(join(dir, '20261125150100_maintenance.sql'), 'utf8'))).toEqual([
      'schema private cascade',
      'extension pg_cron',
    ]);
  });

  it.each([
    [{ tag: 'v9.9.9' }, "unknown tag 'v9.9.9': no such tag in this repository (git fetch --tags?)"],
    [{ tag: 'nightly' }, "tag 'nightly' is not a release: releases are tagged vMAJOR.MINOR.PATCH"],
    [
      { tag: 'v1.5.0-rc.1' },
      "tag 'v1.5.0-rc.1' is not a release: releases are tagged vMAJOR.MINOR.PATCH",
    ],
    [
      { dirtyPaths: ['infra/index.ts', 'notes.txt'] },
      'the working tree is dirty (infra/index.ts, notes.txt): commit or discard the changes first',
    ],
    [
      { stack: 'staging' },
      'v1.4.2 is a release of prod, not of staging: staging deploys from no such tag, so roll it back by reverting on its branch',
    ],
    [{ stack: 'qa' }, "unknown stack 'qa': one of staging, prod"],
    [
      { runningDeploy: 'https://github.com/o/r/actions/runs/7' },
      'a deploy of prod is running (https://github.com/o/r/actions/runs/7): wait for it to end, then roll back',
    ],
    [
      { appliedMigrations: ['001', '002', '003'], revertDatabase: true },
      'migrations 003 have no down script: restore with PITR',
    ],
  ] as [Partial<RollbackFacts>, string][])('refuses %j', (over, refusal) => {
    expect(planRollback(facts(over))).toEqual({ ok: false, refusal });
  });
});
