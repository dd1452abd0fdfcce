import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DeployedFunction {
  slug: string;
  version: number;
  files: string[];
  metadata: { entrypoint_path: string; verify_jwt?: boolean; name?: string };
  /** A `bundleOnly` upload is live only once a bulk update activates it. */
  active: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

/** A Supabase Management API on 127.0.0.1 following the documented shapes and status codes. */
export class FakeManagementApi {
  // The real CLI accepts only the sbp_ + 40 hex shape; this one is a counting pattern, not a key.
  readonly token = 'sbp_0123456789abcdef0123456789abcdef01234567';
  readonly requests: RecordedRequest[] = [];
  readonly projects = new Map<
    string,
    {
      auth: Record<string, unknown>;
      postgrest: Record<string, unknown>;
      secrets: Map<string, string>;
      functions: Map<string, DeployedFunction>;
      /** The project's API keys by name (legacy JWT keys: anon, service_role). */
      apiKeys: Map<string, string>;
    }
  >();
  /** Statuses to answer with before serving normally (429 and 5xx exercise retries). */
  failures: number[] = [];
  /** What a 429 reports in X-RateLimit-Reset (seconds to the window's end); undefined sends no reset. */
  rateLimitResetSeconds: number | undefined = 1;
  /** The content type of POST /secrets' empty 201; the API documents no response schema. */
  secretsCreatedContentType: string | undefined = undefined;
  /** A function whose upload answers 500, for `times` uploads (Infinity: always). */
  deployFailure: { slug: string; times: number } | undefined = undefined;
  /** Statuses answered first with a message echoing the request, token and body included, as careless APIs do. */
  echoFailures: number[] = [];
  private server?: Server;

  url = '';

  addProject(ref: string): void {
    this.projects.set(ref, {
      auth: {
        site_url: 'http://localhost:3000',
        uri_allow_list: '',
        jwt_exp: 3600,
        disable_signup: false,
        mailer_autoconfirm: false,
        external_email_enabled: true,
        rate_limit_email_sent: 2,
        rate_limit_token_refresh: 150,
        smtp_pass: null,
      },
      postgrest: {
        db_schema: 'public,storage,graphql_public',
        max_rows: 1000,
        db_extra_search_path: 'public,extensions',
        db_pool: null,
      },
      secrets: new Map([['SUPABASE_URL', `https://${ref}.supabase.co`]]),
      functions: new Map(),
      apiKeys: new Map([
        ['anon', `eyJhbGciOiJIUzI1NiJ9.anon-${ref}.sig`],
        ['service_role', `eyJhbGciOiJIUzI1NiJ9.service-role-${ref}.sig`],
      ]),
    });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) =>
        this.send(res, 500, { message: String(error) }),
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** What the API reports for a secret's value (SHA-256, hex). */
  static digest(value: string): string {
    return createHash('sha256').update(value).digest('hex');
  }

  private send(res: ServerResponse, status: number, body?: unknown): void {
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    const body =
      type.includes('application/json') && raw.length > 0
        ? JSON.parse(raw.toString('utf8'))
        : raw.toString('latin1');
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, body });
    const echo = this.echoFailures.shift();
    if (echo !== undefined) {
      const request = JSON.stringify({ method: req.method, headers: req.headers, body });
      return this.send(res, echo, {
        message: `Rejected ${request} (Authorization: ${req.headers.authorization})`,
      });
    }

    if (req.headers.authorization !== `Bearer ${this.token}`)
      return this.send(res, 401, { message: 'Unauthorized' });
    const failure = this.failures.shift();
    if (failure === 429) {
      res.setHeader('X-RateLimit-Limit', '120');
      res.setHeader('X-RateLimit-Remaining', '0');
      if (this.rateLimitResetSeconds !== undefined)
        res.setHeader('X-RateLimit-Reset', String(this.rateLimitResetSeconds));
      return this.send(res, 429, { message: 'ThrottlerException: Too Many Requests' });
    }
    if (failure !== undefined) return this.send(res, failure, { message: 'Internal Server Error' });

    const match = /^\/v1\/projects\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const project = match ? this.projects.get(match[1] as string) : undefined;
    if (!match || !project) return this.send(res, 404, { message: 'Project not found' });
    const ref = match[1] as string;
    const route = `${req.method} ${match[2] ?? ''}`;

    switch (route) {
      case 'GET ':
        return this.send(res, 200, {
          id: ref,
          ref,
          name: ref,
          organization_id: 'org',
          region: 'us-east-1',
          status: 'ACTIVE_HEALTHY',
          created_at: '2026-01-01T00:00:00Z',
        });
      case 'GET /config/auth':
        return this.send(res, 200, project.auth);
      case 'PATCH /config/auth':
        Object.assign(project.auth, body);
        return this.send(res, 200, project.auth);
      case 'GET /postgrest':
        return this.send(res, 200, { ...project.postgrest, jwt_secret: 'not-for-you' });
      case 'PATCH /postgrest':
        Object.assign(project.postgrest, body);
        return this.send(res, 200, project.postgrest);
      case 'GET /secrets':
        return this.send(
          res,
          200,
          [...project.secrets].map(([name, value]) => ({
            name,
            value: FakeManagementApi.digest(value),
          })),
        );
      case 'POST /secrets': {
        const items = body as { name: string; value: string }[];
        const reserved = items.find((s) => /^SUPABASE_/.test(s.name));
        if (reserved)
          return this.send(res, 400, {
            message: `Secret name ${reserved.name} must not start with the SUPABASE_ prefix`,
          });
        for (const { name, value } of items) project.secrets.set(name, value);
        res.writeHead(
          201,
          this.secretsCreatedContentType ? { 'content-type': this.secretsCreatedContentType } : {},
        );
        return void res.end();
      }
      case 'DELETE /secrets':
        for (const name of body as string[]) project.secrets.delete(name);
        return this.send(res, 200, {});
      case 'GET /api-keys':
        return this.send(
          res,
          200,
          [...project.apiKeys].map(([name, api_key]) => ({ name, api_key, type: 'legacy' })),
        );
      case 'GET /functions':
        return this.send(
          res,
          200,
          [...project.functions.values()].map((fn) => this.describe(fn)),
        );
      case 'POST /functions/deploy':
        return this.deployFunction(res, project.functions, url, String(body), type);
      case 'PUT /functions': {
        const items = body as { slug: string; status: string }[];
        const unknown = items.find((item) => !project.functions.has(item.slug));
        if (unknown) return this.send(res, 404, { message: `Function ${unknown.slug} not found` });
        for (const item of items) {
          const fn = project.functions.get(item.slug) as DeployedFunction;
          fn.active = item.status === 'ACTIVE';
        }
        return this.send(res, 200, {
          functions: items.map((item) =>
            this.describe(project.functions.get(item.slug) as DeployedFunction),
          ),
        });
      }
      default:
        return this.send(res, 404, { message: `no route ${route}` });
    }
  }

  private describe(fn: DeployedFunction) {
    return {
      id: `fn-${fn.slug}`,
      slug: fn.slug,
      name: fn.metadata.name ?? fn.slug,
      status: 'ACTIVE',
      version: fn.version,
      created_at: 1767225600000,
      updated_at: 1767225600000 + fn.version,
      verify_jwt: fn.metadata.verify_jwt ?? true,
      entrypoint_path: fn.metadata.entrypoint_path,
    };
  }

  private deployFunction(
    res: ServerResponse,
    functions: Map<string, DeployedFunction>,
    url: URL,
    body: string,
    type: string,
  ): void {
    const slug = url.searchParams.get('slug');
    const boundary = /boundary=(.+)$/.exec(type)?.[1];
    if (!slug || !boundary)
      return this.send(res, 400, { message: 'slug and multipart body required' });
    if (this.deployFailure?.slug === slug && this.deployFailure.times > 0) {
      this.deployFailure.times -= 1;
      return this.send(res, 500, { message: 'Internal Server Error' });
    }
    const parts = body.split(`--${boundary}`).slice(1, -1);
    const files = parts.flatMap((part) => /name="file"; filename="([^"]+)"/.exec(part)?.[1] ?? []);
    const metadataPart = parts.find((part) => part.includes('name="metadata"'));
    const metadata = metadataPart
      ? JSON.parse(metadataPart.split('\r\n\r\n')[1]?.trim() ?? '{}')
      : undefined;
    if (!metadata?.entrypoint_path || files.length === 0)
      return this.send(res, 400, { message: 'metadata.entrypoint_path and files required' });
    const fn: DeployedFunction = {
      slug,
      version: (functions.get(slug)?.version ?? 0) + 1,
      files,
      metadata,
      active: url.searchParams.get('bundleOnly') !== 'true',
    };
    functions.set(slug, fn);
    return this.send(res, 201, {
      ...this.describe(fn),
      import_map_path: metadata.import_map_path,
      ezbr_sha256: FakeManagementApi.digest(body),
    });
  }
}
