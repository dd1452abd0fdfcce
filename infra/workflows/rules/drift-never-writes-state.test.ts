import { describe, expect, it } from 'vitest';
import { loadRepo } from '../repo';
import { describeBreakages, editText, workflow } from '../testing/breakages';
import { driftNeverWritesState } from './drift-never-writes-state';

describeBreakages(driftNeverWritesState, [
  {
    how: 'a drift job runs a plain pulumi refresh, which writes the drift into the state',
    edit: editText(workflow('drift.yml'), (text) =>
      text.replace('run: pulumi login', 'run: pulumi login && pulumi refresh --yes --stack prod'),
    ),
    expected: /drift\.yml job drift-staging: run writes state \(pulumi refresh\)/,
  },
  {
    how: 'a drift job asks the pulumi action to run up',
    edit: editText(workflow('drift.yml'), (text) =>
      text.replace(
        '      - run: npm run drift -- --stack prod --issue',
        '      - uses: ./.github/actions/pulumi\n        with:\n          command: up\n          stack: prod\n          github-token: x\n      - run: npm run drift -- --stack prod --issue',
      ),
    ),
    expected: /drift-prod: \.\/\.github\/actions\/pulumi command writes state \(pulumi up\)/,
  },
  {
    how: 'an npm script the drift job runs pushes migrations',
    edit: editText('package.json', (text) =>
      text.replace(
        '"drift": "tsx infra/monitoring/drift-cli.ts"',
        '"drift": "supabase db push && tsx infra/monitoring/drift-cli.ts"',
      ),
    ),
    expected: /npm run drift writes state \(supabase db push\)/,
  },
]);

describe(driftNeverWritesState.name, () => {
  it('leaves the deploy workflows, which must write state, alone', async () => {
    const repo = loadRepo();
    expect(repo.workflows.some(({ text }) => /command: up/.test(text))).toBe(true);
    expect(await driftNeverWritesState.check(repo, [])).toEqual([]);
  });
});
