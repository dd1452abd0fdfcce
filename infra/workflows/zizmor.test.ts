import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../paths';
import { editText } from './testing/breakages';

// The exact command `npm run lint` runs, so these tests hold the lint and not a copy of it.
const lintCommand = (
  JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts['lint:workflows'] as string;
const venv = path.join(repoRoot, '.cache', 'python');

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A copy of .github beside the Python tools, to break on purpose. */
function copyRepo(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'zizmor-'));
  roots.push(root);
  cpSync(path.join(repoRoot, '.github'), path.join(root, '.github'), { recursive: true });
  mkdirSync(path.join(root, '.cache'));
  symlinkSync(venv, path.join(root, '.cache', 'python'));
  return root;
}

function lint(root: string) {
  const run = spawnSync('sh', ['-c', lintCommand], { cwd: root, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const breakages: { how: string; file: string; change: (t: string) => string; audit: string }[] = [
  {
    how: 'a third-party action is pinned by tag',
    file: 'actions/pulumi/action.yml',
    change: (t) => t.replace(/pulumi\/actions@[0-9a-f]{40}/, 'pulumi/actions@v7'),
    audit: 'unpinned-uses',
  },
  {
    how: "one of GitHub's own actions is pinned by tag",
    file: 'actions/setup/action.yml',
    change: (t) => t.replace(/actions\/cache@[0-9a-f]{40}/, 'actions/cache@v4'),
    audit: 'unpinned-uses',
  },
  {
    how: 'a workflow loses its permissions',
    file: 'workflows/ci-checks.yml',
    change: (t) => t.replace(/^permissions:\n {2}contents: read\n/m, ''),
    audit: 'excessive-permissions',
  },
  {
    how: 'a job asks for every permission',
    file: 'workflows/preview-comment.yml',
    change: (t) =>
      t.replace(
        / {4}permissions:\n {6}actions: read\n {6}pull-requests: write\n/,
        '    permissions: write-all\n',
      ),
    audit: 'excessive-permissions',
  },
  {
    how: 'the preview runs on pull_request_target',
    file: 'workflows/preview.yml',
    change: (t) => t.replace(/^ {2}pull_request:/m, '  pull_request_target:'),
    audit: 'dangerous-triggers',
  },
  {
    how: "a step runs the pull request's title as shell",
    file: 'workflows/ci-checks.yml',
    change: (t) =>
      t.replace(/- run: npm run build\n/, '- run: echo "${{ github.event.pull_request.title }}"\n'),
    audit: 'template-injection',
  },
  {
    how: 'a checkout keeps the token in .git/config',
    file: 'workflows/ci-checks.yml',
    change: (t) => t.replace(/\n {8}with:\n {10}persist-credentials: false/, ''),
    audit: 'artipacked',
  },
];

describe('zizmor over .github (npm run lint:workflows)', () => {
  it('is installed by the setup script', () => {
    expect(existsSync(path.join(venv, 'bin', 'zizmor')), 'run bash scripts/setup.sh').toBe(true);
  });

  it('runs offline and finds nothing in the workflows as they are', () => {
    expect(lintCommand).toMatch(/--offline\b/);
    const { status, output } = lint(copyRepo());
    expect(output).toMatch(/No findings to report/);
    expect(status).toBe(0);
  });

  it('fails the lint on a file it cannot read as a workflow, rather than skip it', () => {
    const root = copyRepo();
    editText('.github/workflows/ci-checks.yml', (t) => t.replace(/^jobs:/m, 'jobz:'))(root);
    const { status, output } = lint(root);
    expect(output).toMatch(/ci-checks\.yml/);
    expect(status).not.toBe(0);
  });

  it.each(breakages.map((b) => [b.how, b] as const))(
    'fails the lint when %s',
    (_, { file, change, audit }) => {
      const root = copyRepo();
      editText(path.join('.github', file), change)(root);
      const { status, output } = lint(root);
      expect(output).toContain(`[${audit}]`);
      expect(status).not.toBe(0);
    },
  );
});
