import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubClient, syncStatusIssue, type IssueTarget } from './status-issue';
import { FakeGitHub } from './testing/fake-github';

describe('the one status issue per stack', () => {
  let github: FakeGitHub;
  let target: IssueTarget;
  const drift = { label: 'drift:prod', title: 'Drift in prod', extraLabels: ['page'] };
  beforeEach(async () => {
    github = await new FakeGitHub().start();
    target = { octokit: githubClient(github.token, github.url), owner: 'acme', repo: 'read-aloud' };
  });
  afterEach(() => github.stop());

  const openWith = (label: string) =>
    github.issues.filter((i) => i.state === 'open' && i.labels.some((l) => l.name === label));

  it('opens one issue with the label on the first finding', async () => {
    expect(await syncStatusIssue(target, drift, 'supabase-functions: tts differs')).toEqual({
      action: 'opened',
      number: 1,
    });
    expect(openWith('drift:prod')).toMatchObject([
      {
        title: 'Drift in prod',
        body: 'supabase-functions: tts differs',
        labels: [{ name: 'drift:prod' }, { name: 'page' }],
      },
    ]);
  });

  it('updates the open issue while the finding remains, never opening a second', async () => {
    await syncStatusIssue(target, drift, 'first report');
    expect(await syncStatusIssue(target, drift, 'first report')).toEqual({
      action: 'unchanged',
      number: 1,
    });
    expect(await syncStatusIssue(target, drift, 'second report')).toEqual({
      action: 'updated',
      number: 1,
    });
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]).toMatchObject({ body: 'second report', state: 'open' });
    expect(github.issues[0]!.comments).toEqual([
      'Still failing; the report above now shows the latest run.',
    ]);
  });

  it('closes the issue with a comment when a run is clean, and does nothing when none is open', async () => {
    await syncStatusIssue(target, drift, 'a report');
    expect(await syncStatusIssue(target, drift, undefined)).toEqual({
      action: 'closed',
      number: 1,
    });
    expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(github.issues[0]!.comments).toEqual(['A clean run found nothing any more: closing.']);
    const before = github.requests.length;
    expect(await syncStatusIssue(target, drift, undefined)).toEqual({ action: 'none' });
    expect(github.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
  });

  it('opens a new issue after the last one was closed', async () => {
    await syncStatusIssue(target, drift, 'one');
    await syncStatusIssue(target, drift, undefined);
    expect(await syncStatusIssue(target, drift, 'again')).toEqual({ action: 'opened', number: 2 });
  });

  it('finds the issue by its label across pages, ignoring other labels and pull requests', async () => {
    github.addIssue({ title: 'staging drift', labels: [{ name: 'drift:staging' }] });
    github.addIssue({ title: 'unrelated' });
    github.addIssue({
      title: 'a PR with the label',
      labels: [{ name: 'drift:prod' }],
      pull_request: { url: 'x' },
    });
    const mine = github.addIssue({ title: 'Drift in prod', labels: [{ name: 'drift:prod' }] });
    expect(await syncStatusIssue(target, drift, 'report')).toEqual({
      action: 'updated',
      number: mine.number,
    });
    expect(mine.labels.map((l) => l.name)).toEqual(['drift:prod', 'page']);
    expect(github.issues.find((i) => i.title === 'staging drift')?.body).toBe('');
    expect(github.issues).toHaveLength(4);
  });

  it('closes extra open issues with the label as duplicates of the oldest', async () => {
    const oldest = github.addIssue({ title: 'Drift in prod', labels: [{ name: 'drift:prod' }] });
    const copy = github.addIssue({ title: 'Drift in prod', labels: [{ name: 'drift:prod' }] });
    await syncStatusIssue(target, drift, 'report');
    expect([oldest.state, copy.state]).toEqual(['open', 'closed']);
    expect(copy.comments).toEqual([`Duplicate of #${oldest.number}, which tracks \`drift:prod\`.`]);
  });

  it('fails with the status when GitHub refuses the token or limits the rate, changing nothing', async () => {
    const refused = { ...target, octokit: githubClient('ghs_wrong', github.url) };
    await expect(syncStatusIssue(refused, drift, 'report')).rejects.toMatchObject({ status: 401 });
    github.failures.push(403);
    await expect(syncStatusIssue(target, drift, 'report')).rejects.toMatchObject({ status: 403 });
    expect(github.issues).toEqual([]);
  });
});
