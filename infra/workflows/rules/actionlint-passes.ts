import path from 'node:path';
import { runLint } from '../actionlint';
import type { WorkflowRule } from '../rules';

export const actionlintPasses: WorkflowRule = {
  name: 'actionlint passes on every workflow',
  async check(repo) {
    const problems: string[] = [];
    // One at a time: the linter's wasm runtime serves a single call.
    for (const { file, text } of repo.workflows) {
      for (const p of await runLint(text, path.join(repo.workflowsDir, file))) {
        problems.push(`${file}:${p.line}: ${p.message}`);
      }
    }
    return problems;
  },
};
