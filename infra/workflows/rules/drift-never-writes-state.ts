import { environmentOf, jobsOf, type Repo, type Step } from '../repo';
import type { WorkflowRule } from '../rules';

/** Commands that change a stack's state or what runs; `preview --refresh` is the read-only one. */
const STATE_WRITING = [
  /\bpulumi\s+(up|update|refresh|destroy|import|cancel)\b/,
  /\bpulumi\s+state\s+\w+/,
  /\bpulumi\s+stack\s+(rm|init|import|change-secrets-provider)\b/,
  /\bpulumi\s+config\s+(set|rm|refresh)\b/,
  /\bsupabase\s+(db\s+push|migration\s+(up|down|repair)|functions\s+deploy|secrets\s+(set|unset))\b/,
];
/** Actions whose `command` input runs Pulumi: only a preview may run under drift. */
const PULUMI_ACTIONS = [/^pulumi\/actions@/, /^\.\/\.github\/actions\/pulumi$/];

const isDriftJob = (file: string, environment: string | undefined) =>
  file.startsWith('drift.') || (environment ?? '').endsWith('-drift');

/** What a step runs, including the steps of the local actions it uses and the npm scripts it calls. */
function commandsOf(
  repo: Repo,
  step: Step,
  seen = new Set<string>(),
): { text: string; via: string }[] {
  const own: { text: string; via: string }[] = [];
  if (step.run) {
    own.push({ text: step.run, via: 'run' });
    for (const [, script] of step.run.matchAll(/\bnpm run (?:--silent )?([\w:.-]+)/g)) {
      const body = repo.scripts[script!];
      if (body !== undefined) own.push({ text: body, via: `npm run ${script}` });
    }
  }
  if (
    step.uses &&
    PULUMI_ACTIONS.some((p) => p.test(step.uses!)) &&
    step.with?.command !== undefined
  ) {
    const command = String(step.with.command);
    if (command !== 'preview') own.push({ text: `pulumi ${command}`, via: `${step.uses} command` });
  }
  const action = repo.actions.find((a) => a.uses === step.uses);
  if (action && !seen.has(action.uses)) {
    seen.add(action.uses);
    for (const inner of action.steps) own.push(...commandsOf(repo, inner, seen));
  }
  return own;
}

export const driftNeverWritesState: WorkflowRule = {
  name: 'drift never runs a command that writes state (pulumi up/refresh/destroy/state, supabase pushes)',
  check(repo) {
    return jobsOf(repo)
      .filter(({ file, job }) => isDriftJob(file, environmentOf(job)))
      .flatMap(({ file, id, job }) =>
        (job.steps ?? []).flatMap((step) =>
          commandsOf(repo, step)
            .filter(({ text }) => STATE_WRITING.some((pattern) => pattern.test(text)))
            .map(
              ({ text, via }) =>
                `${file} job ${id}: ${via} writes state (${STATE_WRITING.map((p) => p.exec(text)?.[0]).find(Boolean)}); drift must only read: pulumi preview --refresh --expect-no-changes`,
            ),
        ),
      );
  },
};
