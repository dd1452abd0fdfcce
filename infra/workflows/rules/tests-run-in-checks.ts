import { npmRunsIn, npmScriptsRun, type Repo } from '../repo';
import type { WorkflowRule } from '../rules';

/** The scripts CI runs, and the scripts those run in turn. */
function scriptsRunInCi(repo: Repo): { name: string; command: string }[] {
  const seen = new Map<string, string>();
  const visit = (name: string) => {
    const command = repo.scripts[name];
    if (command === undefined || seen.has(name)) return;
    seen.set(name, command);
    npmRunsIn(command).forEach(visit);
  };
  npmScriptsRun(repo).forEach(({ script }) => visit(script));
  return [...seen].map(([name, command]) => ({ name, command }));
}

// Each `vitest run` runs the files whose path contains one of its filters, or every file without one.
const vitestFilters = (command: string) =>
  [...command.matchAll(/\bvitest run([^&;|]*)/g)].map((m) =>
    (m[1] as string).split(/\s+/).filter((arg) => arg !== '' && !arg.startsWith('-')),
  );

export const testsRunInChecks: WorkflowRule = {
  name: 'every vitest file runs in a CI check, and no check passes without tests',
  check(repo) {
    const scripts = scriptsRunInCi(repo);
    const passWithoutTests = scripts
      .filter(({ command }) => /--pass-?with-?no-?tests/i.test(command))
      .map(({ name }) => `npm run ${name} passes when it finds no tests`);
    const runs = scripts.flatMap(({ command }) => vitestFilters(command));
    const unrun = repo.testFiles
      .filter(
        (file) =>
          !runs.some((filters) => filters.length === 0 || filters.some((f) => file.includes(f))),
      )
      .map((file) => `${file} runs in no CI check`);
    return [...passWithoutTests, ...unrun];
  },
};
