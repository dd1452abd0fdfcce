import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { STACKS } from '../../config';
import { repoRoot } from '../../paths';
import type { StackPlan } from '../../plan/run-stack';
import { loadRepo } from '../repo';
import type { WorkflowRule } from '../rules';
import { stackFacts } from '../stacks';

/** One way to break a rule: an edit of a copy of the repository, and what the rule then says. */
export interface Breakage {
  how: string;
  edit: (root: string) => void;
  expected: RegExp;
}

/** A temporary copy of what the rules read, to break on purpose. */
function copyRepo(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'workflow-rules-'));
  for (const entry of ['.github', 'package.json', 'README.md', 'infra/package.json']) {
    cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  }
  return root;
}

export const editText = (file: string, edit: (text: string) => string) => (root: string) => {
  const target = path.join(root, file);
  const before = readFileSync(target, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(target, after);
};

export const editYaml = (file: string, edit: (doc: ReturnType<typeof parseDocument>) => void) =>
  editText(file, (text) => {
    const doc = parseDocument(text);
    edit(doc);
    return doc.toString();
  });

export const workflow = (name: string) => `.github/workflows/${name}`;

// The committed plan snapshots, which infra/plan/plan.test.ts holds equal to the program's plan:
// reading them spares each rule's tests a plan of both stacks.
const committedStackFacts = () =>
  STACKS.map((stack) =>
    stackFacts(
      JSON.parse(
        readFileSync(
          path.join(repoRoot, 'infra', 'plan', '__snapshots__', `${stack}.plan.json`),
          'utf8',
        ),
      ) as StackPlan,
    ),
  );

/** Each breakage: the rule holds on a copy of the repository, and says the expected once it is broken. */
export function describeBreakages(rule: WorkflowRule, breakages: Breakage[]) {
  if (breakages.length === 0) throw new Error(`${rule.name}: break it on purpose at least once`);
  describe(`broken on purpose: ${rule.name}`, () => {
    it.each(breakages.map((b) => [b.how, b] as const))('when %s', async (_, { edit, expected }) => {
      const stacks = committedStackFacts();
      const root = copyRepo();
      try {
        expect(await rule.check(loadRepo(root), stacks)).toEqual([]);
        edit(root);
        expect((await rule.check(loadRepo(root), stacks)).join('\n')).toMatch(expected);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
}
