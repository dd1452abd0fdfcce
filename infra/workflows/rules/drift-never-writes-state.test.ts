import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../paths';
import { loadRepo } from '../repo';
import { driftNeverWritesState } from './drift-never-writes-state';

const DRIFT = '.github/workflows/drift.yml';

/** A copy of what the rule reads, with `edit` applied to one file. */
function repoWith(file: string, edit: (text: string) => string) {
  const root = mkdtempSync(path.join(tmpdir(), 'drift-rule-'));
  for (const entry of ['.github', 'package.json', 'README.md', 'infra/package.json']) {
    cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  }
  const target = path.join(root, file);
  const before = readFileSync(target, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(target, after);
  return loadRepo(root);
}
const check = async (repo: ReturnType<typeof loadRepo>) =>
  await driftNeverWritesState.check(repo, []);

describe(driftNeverWritesState.name, () => {
  it('holds for the drift workflow as it is', async () => {
    expect(await check(loadRepo())).toEqual([]);
  });

  it('catches a plain pulumi refresh, which writes the drift into the state', async () => {
    const repo = repoWith(DRIFT, (text) =>
      text.replace('run: pulumi login', 'run: pulumi login && pulumi refresh --yes --stack prod'),
    );
    expect((await check(repo)).join('\n')).toMatch(
      /drift\.yml job drift-staging: run writes state \(pulumi refresh\)/,
    );
  });

  it('catches the pulumi action asked to run up', async () => {
    const repo = repoWith(DRIFT, (text) =>
      text.replace(
        '      - run: npm run drift -- --stack prod --issue',
        '      - uses: ./.github/actions/pulumi\n        with:\n          command: up\n          stack: prod\n          github-token: x\n      - run: npm run drift -- --stack prod --issue',
      ),
    );
    expect((await check(repo)).join('\n')).toMatch(
      /drift-prod: \.\/\.github\/actions\/pulumi command writes state \(pulumi up\)/,
    );
  });

  it('catches an npm script the drift job runs that pushes migrations', async () => {
    const repo = repoWith('package.json', (text) =>
      text.replace(
        '"drift": "tsx infra/monitoring/drift-cli.ts"',
        '"drift": "supabase db push && tsx infra/monitoring/drift-cli.ts"',
      ),
    );
    expect((await check(repo)).join('\n')).toMatch(
      /npm run drift writes state \(supabase db push\)/,
    );
  });

  it('leaves the deploy workflows, which must write state, alone', async () => {
    const repo = loadRepo();
    expect(repo.workflows.some(({ text }) => /command: up/.test(text))).toBe(true);
    expect(await check(repo)).toEqual([]);
  });
});
