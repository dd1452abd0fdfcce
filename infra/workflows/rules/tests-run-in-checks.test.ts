import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeBreakages, editText } from '../testing/breakages';
import { testsRunInChecks } from './tests-run-in-checks';

describeBreakages(testsRunInChecks, [
  {
    how: 'a check passes when it finds no tests',
    edit: editText('package.json', (text) =>
      text.replace(/("test:extension": "vitest run [^"]*)"/, '$1 --passWithNoTests"'),
    ),
    expected: /npm run test:extension passes when it finds no tests/,
  },
  {
    how: 'tests sit in a folder no check runs',
    edit: (root) => {
      mkdirSync(path.join(root, 'tools'));
      writeFileSync(path.join(root, 'tools', 'release.test.ts'), '');
    },
    expected: /tools\/release\.test\.ts runs in no CI check/,
  },
]);
