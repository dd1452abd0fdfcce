import { jobsOf, stepsOf, type Step } from '../repo';
import type { WorkflowRule } from '../rules';

/** The local action that installs the toolchain with the npm and Deno caches. */
const SETUP_ACTION = './.github/actions/setup';

export const toolchainComesWithCaches: WorkflowRule = {
  name: 'every job that runs npm or deno gets them from the setup action, with npm and Deno caches',
  check(repo) {
    const setup = repo.actions.find((a) => a.uses === SETUP_ACTION);
    if (setup === undefined) return [`${SETUP_ACTION} is missing`];
    const provides = (step: Step): boolean =>
      step.uses === SETUP_ACTION ||
      (repo.actions.find((a) => a.uses === step.uses)?.steps.some(provides) ?? false);
    const caches = [
      ...(setup.steps.some(
        (s) => s.uses?.startsWith('actions/setup-node@') && s.with?.cache === 'npm',
      )
        ? []
        : [`${SETUP_ACTION}: setup-node has no npm cache`]),
      ...(setup.steps.some(
        (s) => s.uses?.startsWith('actions/cache@') && /deno/.test(String(s.with?.path)),
      )
        ? []
        : [`${SETUP_ACTION}: no Deno cache`]),
    ];
    const installsElsewhere = stepsOf(repo)
      .filter(
        ({ where, step }) => where !== SETUP_ACTION && /\bnpm (ci|install)\b/.test(step.run ?? ''),
      )
      .map(({ where }) => `${where}: installs npm packages itself, without the setup action`);
    const withoutToolchain = jobsOf(repo)
      .filter(({ job }) => (job.steps ?? []).some((s) => /\b(npm|npx|deno)\b/.test(s.run ?? '')))
      .filter(({ job }) => !(job.steps ?? []).some(provides))
      .map(({ file, id }) => `${file} job ${id}: runs npm or deno without ${SETUP_ACTION}`);
    return [...caches, ...installsElsewhere, ...withoutToolchain];
  },
};
