import { MUST_PASS_WORKFLOWS } from '../required-checks';
import { jobsOf, npmScriptsRun } from '../repo';
import type { WorkflowRule } from '../rules';

const developerCommands = (readme: string) =>
  /## Developer commands\n([\s\S]*?)(?=\n## |$)/.exec(readme)?.[1] ?? '';

export const commandsAreDocumentedScripts: WorkflowRule = {
  name: 'the commands CI runs are npm scripts the README documents',
  check(repo) {
    const documented = developerCommands(repo.readme);
    const scriptsRun = npmScriptsRun(repo);
    const mustPassWithoutScript = jobsOf(repo)
      .filter(({ file }) => MUST_PASS_WORKFLOWS.includes(file))
      .filter(({ job }) => !(job.steps ?? []).some((step) => /\bnpm run /.test(step.run ?? '')))
      .map(({ file, id }) => `${file} job ${id}: runs no npm script, so it cannot be run locally`);
    return [
      ...scriptsRun.flatMap(({ where, script }) => [
        ...(script in repo.scripts ? [] : [`${where}: npm run ${script} is not in package.json`]),
        ...(documented.includes(`\`npm run ${script}`)
          ? []
          : [`${where}: npm run ${script} is not in README's Developer commands`]),
      ]),
      ...mustPassWithoutScript,
    ];
  },
};
