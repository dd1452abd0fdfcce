import { Octokit } from '@octokit/rest';

/** Where the issues live, and the client that reaches them. */
export interface IssueTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
}

/** One issue per stack and concern, found by its label (e.g. `drift:prod`). */
export interface StatusIssue {
  label: string;
  title: string;
  /** Added when the issue is opened or updated: e.g. the label the team watches to be paged. */
  extraLabels?: string[];
}

export type IssueOutcome =
  { action: 'opened' | 'updated' | 'unchanged' | 'closed'; number: number } | { action: 'none' };

export function githubClient(token: string, baseUrl = 'https://api.github.com'): Octokit {
  return new Octokit({ auth: token, baseUrl, userAgent: 'read-aloud-monitoring' });
}

/**
 * Brings the stack's issue in line with a run: `report` (a finding) opens the issue, or updates
 * the one open issue with the label; `undefined` (a clean run) closes it with a comment. Never
 * opens a second one: extra open issues with the label are closed as duplicates of the oldest.
 */
export async function syncStatusIssue(
  { octokit, owner, repo }: IssueTarget,
  issue: StatusIssue,
  report: string | undefined,
): Promise<IssueOutcome> {
  const open = (
    await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      labels: issue.label,
      state: 'open',
      per_page: 100,
    })
  )
    .filter((found) => found.pull_request === undefined)
    .sort((a, b) => a.number - b.number);
  const [kept, ...duplicates] = open;

  for (const duplicate of duplicates) {
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: duplicate.number,
      body: `Duplicate of #${kept!.number}, which tracks \`${issue.label}\`.`,
    });
    await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: duplicate.number,
      state: 'closed',
      state_reason: 'not_planned',
    });
  }

  if (report === undefined) {
    if (kept === undefined) return { action: 'none' };
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: kept.number,
      body: 'A clean run found nothing any more: closing.',
    });
    await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: kept.number,
      state: 'closed',
      state_reason: 'completed',
    });
    return { action: 'closed', number: kept.number };
  }

  const labels = [issue.label, ...(issue.extraLabels ?? [])];
  if (kept === undefined) {
    const { data } = await octokit.rest.issues.create({
      owner,
      repo,
      title: issue.title,
      body: report,
      labels,
    });
    return { action: 'opened', number: data.number };
  }
  const keptLabels = kept.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? '')));
  const missingLabels = labels.filter((l) => !keptLabels.includes(l));
  if (kept.body === report && missingLabels.length === 0) {
    return { action: 'unchanged', number: kept.number };
  }
  await octokit.rest.issues.update({
    owner,
    repo,
    issue_number: kept.number,
    body: report,
    labels: [...keptLabels, ...missingLabels],
  });
  await octokit.rest.issues.createComment({
    owner,
    repo,
    issue_number: kept.number,
    body: 'Still failing; the report above now shows the latest run.',
  });
  return { action: 'updated', number: kept.number };
}
