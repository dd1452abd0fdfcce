import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './paths';

const eslint = new ESLint({ cwd: repoRoot });

/** The restricted-import messages ESLint gives `code` as if it were the file at `file`. */
async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: `${repoRoot}/${file}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('the lint keeps the Pulumi program flowing one way', () => {
  it.each([
    ['infra/github/governance-extra.ts', "import { SECRETS } from '../config';"],
    ['infra/supabase/testing/helper.ts', "import { STACKS } from '../../config';"],
    ['infra/new-component/component.ts', "import { loadStackConfig } from '../config';"],
  ])('refuses a value from config.ts in a component: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([
      expect.stringMatching(/typed args .*only types from config\.ts/),
    ]);
  });

  it.each([
    ['infra/github/governance-extra.ts', "import type { StackConfig } from '../config';"],
    ['infra/plan/extra.ts', "import { STACKS } from '../config';"],
    ['infra/workflows/extra.ts', "import { STACKS } from '../config';"],
    ['infra/extra.ts', "import { loadStackConfig } from './config';"],
  ])('lets %s import what it needs from config.ts', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });

  it.each([
    ['infra/github/governance-extra.ts', "import { loadRepo } from '../workflows/repo';"],
    [
      'infra/workflows/rules/extra.ts',
      "import type { RepositoryGovernanceArgs } from '../../github/governance';",
    ],
  ])('refuses an import between infra/github and infra/workflows: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([
      expect.stringMatching(/neither imports the other/),
    ]);
  });

  it('lets infra/workflows use the GitHub provider package itself', async () => {
    expect(
      await restrictedImports(
        'infra/workflows/extra.ts',
        "import * as github from '@pulumi/github';",
      ),
    ).toEqual([]);
  });
});
