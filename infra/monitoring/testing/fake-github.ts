import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from '../../testing/http';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | null;
  labels: { name: string }[];
  comments: string[];
  /** Pull requests are issues in this API: the list returns them too. */
  pull_request?: { url: string };
}

/**
 * The issues part of GitHub's REST API on 127.0.0.1, as Octokit calls it: list by label and
 * state (paginated with a Link header; pull requests included), create (201), update (200),
 * comment (201). Errors as GitHub sends them: 401 `Bad credentials`, 404 `Not Found`, 422 with
 * `errors`, and a 403 rate limit with `x-ratelimit-remaining: 0`.
 */
export class FakeGitHub {
  readonly token = `ghs_${randomBytes(16).toString('hex')}`;
  readonly issues: FakeIssue[] = [];
  readonly requests: { method: string; path: string }[] = [];
  /** Answer the next requests with these statuses instead. */
  readonly failures: number[] = [];
  url = '';
  private server = createServer((req, res) => void this.handle(req, res));

  constructor(
    readonly owner = 'acme',
    readonly repo = 'read-aloud',
    private readonly perPage = 2,
  ) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  addIssue(issue: Partial<FakeIssue> & { title: string }): FakeIssue {
    const created: FakeIssue = {
      number: this.issues.length + 1,
      body: '',
      state: 'open',
      state_reason: null,
      labels: [],
      comments: [],
      ...issue,
    };
    this.issues.push(created);
    return created;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search });
    const body = await readJson(req);
    const failure = this.failures.shift();
    if (failure === 403) {
      return sendJson(
        res,
        403,
        { message: 'API rate limit exceeded', documentation_url: DOCS },
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        },
      );
    }
    if (failure) return sendJson(res, failure, { message: 'Server Error' });
    if (req.headers.authorization !== `token ${this.token}`) {
      return sendJson(res, 401, { message: 'Bad credentials', documentation_url: DOCS });
    }
    const base = `/repos/${this.owner}/${this.repo}/issues`;
    const one = new RegExp(`^${base}/(\\d+)(/comments)?$`).exec(url.pathname);
    if (url.pathname === base && req.method === 'GET') return this.list(url, res);
    if (url.pathname === base && req.method === 'POST') return this.create(body, res);
    const issue = one ? this.issues.find((i) => i.number === Number(one[1])) : undefined;
    if (!issue) return sendJson(res, 404, { message: 'Not Found', documentation_url: DOCS });
    if (one?.[2] && req.method === 'POST') {
      if (typeof body.body !== 'string' || body.body === '') return invalid(res, 'body');
      issue.comments.push(body.body);
      return sendJson(res, 201, { id: issue.comments.length, body: body.body });
    }
    if (!one?.[2] && req.method === 'PATCH') {
      if (body.title !== undefined) issue.title = String(body.title);
      if (body.body !== undefined) issue.body = String(body.body);
      if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
      if (body.state_reason !== undefined) issue.state_reason = body.state_reason as never;
      if (Array.isArray(body.labels)) issue.labels = body.labels.map((name) => ({ name }));
      return sendJson(res, 200, this.view(issue));
    }
    return sendJson(res, 404, { message: 'Not Found', documentation_url: DOCS });
  }

  private list(url: URL, res: ServerResponse) {
    const state = url.searchParams.get('state') ?? 'open';
    const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
    const matching = this.issues.filter(
      (i) =>
        (state === 'all' || i.state === state) &&
        labels.every((label) => i.labels.some((l) => l.name === label)),
    );
    // GitHub caps a page (at 100); this fake caps it lower so that paging is exercised.
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), this.perPage);
    const page = Number(url.searchParams.get('page') ?? 1);
    const items = matching.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < matching.length) {
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.href}>; rel="next"`;
    }
    sendJson(
      res,
      200,
      items.map((i) => this.view(i)),
      headers,
    );
  }

  private create(body: Record<string, unknown>, res: ServerResponse) {
    if (typeof body.title !== 'string' || body.title === '') return invalid(res, 'title');
    const labels = Array.isArray(body.labels) ? body.labels.map(String) : [];
    const issue = this.addIssue({
      title: body.title,
      body: typeof body.body === 'string' ? body.body : '',
      labels: labels.map((name) => ({ name })),
    });
    sendJson(res, 201, this.view(issue));
  }

  private view(issue: FakeIssue) {
    const { comments, ...rest } = issue;
    return { ...rest, comments: comments.length, html_url: `${this.url}/issues/${issue.number}` };
  }
}

const DOCS = 'https://docs.github.com/rest';

function invalid(res: ServerResponse, field: string) {
  sendJson(res, 422, {
    message: 'Validation Failed',
    errors: [{ resource: 'Issue', code: 'missing_field', field }],
    documentation_url: DOCS,
  });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}
