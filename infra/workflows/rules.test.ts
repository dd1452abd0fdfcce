import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACKS } from '../config';
import { planStacks } from '../plan/plan';
import { loadRepo } from './repo';
import { workflowRules } from './rules';
import { stackFacts, type StackFacts } from './stacks';

const rulesDir = path.join(__dirname, 'rules');
const ruleFiles = readdirSync(rulesDir)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => path.basename(file, '.ts'));
const camelCase = (kebab: string) => kebab.replace(/-(.)/g, (_, c: string) => c.toUpperCase());

describe('the workflows and the stacks', () => {
  let stacks: StackFacts[];
  beforeAll(async () => {
    stacks = (await planStacks(STACKS)).map(stackFacts);
  });

  it('read from the plan: develop -> staging, main and v* -> prod, and their environments', () => {
    expect(
      stacks.map(({ stack, branch, deployEnvironment, deployRefs, secrets }) => ({
        stack,
        branch,
        deployEnvironment,
        deployRefs,
        environments: Object.keys(secrets).sort(),
      })),
    ).toEqual([
      {
        stack: 'staging',
        branch: 'develop',
        deployEnvironment: 'staging',
        deployRefs: { branches: ['develop'], tags: [] },
        environments: ['staging', 'staging-drift', 'staging-health', 'staging-preview'],
      },
      {
        stack: 'prod',
        branch: 'main',
        deployEnvironment: 'production',
        deployRefs: { branches: [], tags: ['v*'] },
        environments: [
          'production',
          'production-drift',
          'production-health',
          'production-preview',
          'release',
        ],
      },
    ]);
  });

  it('require integration only on develop, where it runs, and never a preview job', () => {
    const [staging, prod] = stacks as [StackFacts, StackFacts];
    expect(staging.requiredChecks).toContain('integration');
    expect(prod.requiredChecks).not.toContain('integration');
    for (const { requiredChecks } of stacks) {
      expect(requiredChecks).toContain('lint');
      expect(requiredChecks.filter((c) => /preview|offline plan/.test(c))).toEqual([]);
    }
  });

  it.each(workflowRules.map((rule) => [rule.name, rule] as const))('%s', async (_, rule) => {
    expect(await rule.check(loadRepo(), stacks)).toEqual([]);
  });
});

describe('the rules list', () => {
  it.each(ruleFiles)(
    'registers rules/%s.ts, which exports one rule named after the file, tests beside it',
    async (file) => {
      const exported = Object.entries(
        (await import(path.join(rulesDir, `${file}.ts`))) as Record<string, unknown>,
      );
      expect(exported.map(([name]) => name)).toEqual([camelCase(file)]);
      expect(workflowRules).toContain(exported[0]?.[1]);
      expect(existsSync(path.join(rulesDir, `${file}.test.ts`))).toBe(true);
    },
  );

  it('holds only rules from rules/', () => {
    expect(workflowRules).toHaveLength(ruleFiles.length);
  });
});
