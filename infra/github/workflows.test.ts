import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runLint } from './actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { workflowsDir } from '../paths';
import { readWorkflows, requiredChecksFor } from './required-checks';

const ciChecksJobNames = () => {
  const workflow = parse(readFileSync(path.join(workflowsDir, 'ci-checks.yml'), 'utf8')) as {
    jobs: Record<string, { name?: string }>;
  };
  return Object.entries(workflow.jobs)
    .map(([id, job]) => job.name ?? id)
    .sort();
};

describe('required status checks', () => {
  it('are exactly the ci-checks job names, for both protected branches', () => {
    expect(ciChecksJobNames().length).toBeGreaterThan(0);
    expect(requiredChecksFor('develop')).toEqual(ciChecksJobNames());
    expect(requiredChecksFor('main')).toEqual(ciChecksJobNames());
  });

  it('leave out jobs that need secrets and workflows that skip the branch', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'workflows-'));
    writeFileSync(
      path.join(dir, 'a.yml'),
      [
        'on: {pull_request: {branches: [develop]}}',
        'jobs:',
        '  build: {name: build, runs-on: ubuntu-24.04, steps: [{run: "true"}]}',
        '  preview: {runs-on: ubuntu-24.04, steps: [{run: "echo ${{ secrets.HF_TOKEN }}"}]}',
        '  deploy: {runs-on: ubuntu-24.04, environment: staging, steps: [{run: "true"}]}',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'b.yml'),
      'on: {pull_request: {branches-ignore: [develop]}}\njobs: {other: {runs-on: x, steps: []}}\n',
    );
    expect(requiredChecksFor('develop', dir)).toEqual(['build']);
    expect(requiredChecksFor('main', dir)).toEqual(['other']);
  });
});

describe('workflow files', () => {
  it('pass actionlint', async () => {
    const files = readWorkflows().map(({ file }) => path.join(workflowsDir, file));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const problems = await runLint(readFileSync(file, 'utf8'), file);
      expect(problems.map((p) => `${file}:${p.line}: ${p.message}`)).toEqual([]);
    }
  });

  it('fail actionlint when broken', async () => {
    const broken =
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n';
    expect((await runLint(broken, 'broken.yml')).length).toBeGreaterThan(0);
  });
});
