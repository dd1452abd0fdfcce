import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requiredChecksFor } from './required-checks';

describe('required status checks derived from the workflows', () => {
  it('leave out jobs that need secrets, that may be skipped, and workflows that skip the branch', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'workflows-'));
    writeFileSync(
      path.join(dir, 'a.yml'),
      [
        'on: {pull_request: {branches: [develop]}}',
        'jobs:',
        '  build: {name: build, runs-on: ubuntu-24.04, steps: [{run: "true"}]}',
        '  preview: {runs-on: ubuntu-24.04, steps: [{run: "echo ${{ secrets.HF_TOKEN }}"}]}',
        '  token: {runs-on: ubuntu-24.04, steps: [{run: "echo ${{ secrets.GITHUB_TOKEN }}"}]}',
        '  deploy: {runs-on: ubuntu-24.04, environment: staging, steps: [{run: "true"}]}',
        '  forks: {runs-on: ubuntu-24.04, if: github.event.pull_request.head.repo.fork, steps: []}',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'b.yml'),
      'on: {pull_request: {branches-ignore: [develop]}}\njobs: {other: {runs-on: x, steps: []}}\n',
    );
    writeFileSync(path.join(dir, 'c.yml'), 'on: push\njobs: {pushed: {runs-on: x, steps: []}}\n');
    expect(requiredChecksFor('develop', dir)).toEqual(['build', 'token']);
    expect(requiredChecksFor('main', dir)).toEqual(['other']);
  });

  it('refuse a computed job name, which no rule could require', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'workflows-'));
    writeFileSync(
      path.join(dir, 'a.yml'),
      'on: pull_request\njobs: {x: {name: "t ${{ github.ref }}", runs-on: x, steps: []}}\n',
    );
    expect(() => requiredChecksFor('main', dir)).toThrow(/computed name/);
  });
});
