import { jobsOf, type Step } from '../repo';
import type { WorkflowRule } from '../rules';

/** A step that creates the release tag: our release script, gh, git, or release-please. */
const tagsRelease = (step: Step) =>
  /\bnpm run release\b|\bgh release create\b|\bgit tag\b|\bgit push\b.*--tags/.test(
    step.run ?? '',
  ) ||
  (step.uses?.startsWith('googleapis/release-please-action@') ?? false);

/** The token GitHub gives every run: what it pushes starts no workflow. */
const GITHUB_PROVIDED_TOKEN = /secrets\.GITHUB_TOKEN\b|\bgithub\.token\b/i;

const envOf = (value: unknown) => (value ?? {}) as Record<string, unknown>;

export const releaseTagsWithStartingToken: WorkflowRule = {
  name: 'the release job tags with a secret token that starts workflows, never GITHUB_TOKEN',
  check(repo) {
    const taggers = jobsOf(repo).flatMap((at) =>
      (at.job.steps ?? []).filter(tagsRelease).map((step) => ({ ...at, step })),
    );
    if (taggers.length === 0) return ['no job creates the release tag'];
    return taggers.flatMap(({ file, id, job, workflow, step }) => {
      const where = `${file} job ${id}`;
      if (GITHUB_PROVIDED_TOKEN.test(JSON.stringify({ env: workflow.env, job }))) {
        return [`${where}: uses GITHUB_TOKEN, so the tag it creates would start no deploy`];
      }
      const env = { ...envOf(workflow.env), ...envOf(job.env), ...envOf(step.env) };
      const token = String(step.with?.token ?? env.GH_TOKEN ?? env.GITHUB_TOKEN ?? '');
      return /^\$\{\{\s*secrets\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/.test(token)
        ? []
        : [`${where}: creates the release tag without a secret token of its own (GH_TOKEN)`];
    });
  },
};
