import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StripeEvent } from '../../monitoring/health-checks';
import type { StripeConnection } from '../client';

export interface StripeFailure {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path prefix the failure applies to, e.g. `/v1/webhook_endpoints`. */
  path: string;
  status: number;
  headers?: Record<string, string>;
  /** Answer with an error that quotes the request, key and body included, as careless APIs do. */
  echo?: boolean;
}

export interface RecordedStripeRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
  status: number;
}

type StripeObject = Record<string, unknown> & { id: string };

/** Stripe's form encoding (`a[b]=1`, `list[0]=x`) back to objects and arrays. */
export function parseForm(raw: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const path = key.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= /^\d+$/.test(path[i + 1] as string) ? [] : {}) as never;
    });
  }
  return root;
}

const stripeError = (status: number, message: string, code?: string, param?: string) => ({
  status,
  body: {
    error: {
      type:
        status === 401
          ? 'invalid_request_error'
          : status >= 500
            ? 'api_error'
            : 'invalid_request_error',
      ...(code ? { code } : {}),
      message,
      ...(param ? { param } : {}),
    },
  },
});

const bool = (value: unknown) => value === true || value === 'true';

/** One page of a list, as Stripe pages it: `limit` (default 10) items after `starting_after`. */
function listPage(url: URL, items: StripeObject[]) {
  const limit = Number(url.searchParams.get('limit') ?? 10);
  const after = url.searchParams.get('starting_after');
  const start = after ? items.findIndex((item) => item.id === after) + 1 : 0;
  return {
    status: 200,
    body: {
      object: 'list',
      url: url.pathname,
      data: items.slice(start, start + limit),
      has_more: start + limit < items.length,
    },
  };
}

/**
 * Webhook endpoints, products, prices and events of the Stripe API on 127.0.0.1, with Stripe's
 * error bodies. `events` are what `GET /v1/events` lists (newest first, from `created[gte]`).
 */
export async function startFakeStripe(options: {
  apiKey: string;
  failures?: StripeFailure[];
  events?: StripeEvent[];
}) {
  const requests: RecordedStripeRequest[] = [];
  const failures = [...(options.failures ?? [])];
  const endpoints = new Map<string, StripeObject>();
  const products = new Map<string, StripeObject>();
  const prices = new Map<string, StripeObject>();
  const events = [...(options.events ?? [])];
  let serial = 0;
  const newId = (prefix: string) => `${prefix}_fake${String(++serial).padStart(6, '0')}`;

  const missing = (what: string, id: string) =>
    stripeError(404, `No such ${what}: '${id}'`, 'resource_missing', 'id');

  function webhookEndpoints(
    method: string,
    id: string | undefined,
    body: Record<string, unknown>,
    url: URL,
  ) {
    if (id === undefined && method === 'POST') {
      if (typeof body.url !== 'string' || !Array.isArray(body.enabled_events)) {
        return stripeError(
          400,
          'Missing required param: url or enabled_events.',
          'parameter_missing',
        );
      }
      const endpoint: StripeObject = {
        id: newId('we'),
        object: 'webhook_endpoint',
        url: body.url,
        enabled_events: body.enabled_events,
        description: body.description ?? null,
        metadata: body.metadata ?? {},
        status: 'enabled',
        livemode: false,
      };
      endpoints.set(endpoint.id, endpoint);
      // The signing secret is in the create answer only.
      return {
        status: 200,
        body: { ...endpoint, secret: `whsec_${randomBytes(24).toString('hex')}` },
      };
    }
    if (id === undefined && method === 'GET') return listPage(url, [...endpoints.values()]);
    const endpoint = id === undefined ? undefined : endpoints.get(id);
    if (!endpoint) return missing('webhook endpoint', id ?? '');
    if (method === 'GET') return { status: 200, body: endpoint };
    if (method === 'DELETE') {
      endpoints.delete(endpoint.id);
      return { status: 200, body: { id: endpoint.id, object: 'webhook_endpoint', deleted: true } };
    }
    if (body.url !== undefined) endpoint.url = body.url;
    if (body.enabled_events !== undefined) endpoint.enabled_events = body.enabled_events;
    if (body.description !== undefined) endpoint.description = body.description;
    if (body.disabled !== undefined) endpoint.status = bool(body.disabled) ? 'disabled' : 'enabled';
    return { status: 200, body: endpoint };
  }

  function productRoute(method: string, id: string | undefined, body: Record<string, unknown>) {
    if (id === undefined && method === 'POST') {
      if (typeof body.name !== 'string')
        return stripeError(400, 'Missing required param: name.', 'parameter_missing', 'name');
      const product: StripeObject = {
        id: newId('prod'),
        object: 'product',
        name: body.name,
        active: true,
        metadata: body.metadata ?? {},
      };
      products.set(product.id, product);
      return { status: 200, body: product };
    }
    const product = id === undefined ? undefined : products.get(id);
    if (!product) return missing('product', id ?? '');
    if (method === 'GET') return { status: 200, body: product };
    if (body.name !== undefined) product.name = body.name;
    if (body.active !== undefined) product.active = bool(body.active);
    return { status: 200, body: product };
  }

  function priceRoute(method: string, id: string | undefined, body: Record<string, unknown>) {
    if (id === undefined && method === 'POST') {
      if (!products.has(String(body.product))) return missing('product', String(body.product));
      if (bool(body.transfer_lookup_key)) {
        for (const other of prices.values()) {
          if (other.lookup_key === body.lookup_key) other.lookup_key = null;
        }
      } else if (
        [...prices.values()].some(
          (p) => p.lookup_key === body.lookup_key && body.lookup_key !== undefined,
        )
      ) {
        return stripeError(
          400,
          `A price (\`${body.lookup_key}\`) already uses that lookup key.`,
          'lookup_key_exists',
          'lookup_key',
        );
      }
      const price: StripeObject = {
        id: newId('price'),
        object: 'price',
        product: body.product,
        unit_amount: Number(body.unit_amount),
        currency: body.currency,
        recurring: body.recurring
          ? { interval: (body.recurring as { interval: string }).interval }
          : null,
        lookup_key: body.lookup_key ?? null,
        active: true,
        metadata: body.metadata ?? {},
      };
      prices.set(price.id, price);
      return { status: 200, body: price };
    }
    const price = id === undefined ? undefined : prices.get(id);
    if (!price) return missing('price', id ?? '');
    if (method === 'GET') return { status: 200, body: price };
    // A price's amount is immutable.
    for (const immutable of ['unit_amount', 'currency', 'recurring', 'product']) {
      if (body[immutable] !== undefined) {
        return stripeError(
          400,
          `Received unknown parameter: ${immutable}`,
          'parameter_unknown',
          immutable,
        );
      }
    }
    if (body.active !== undefined) price.active = bool(body.active);
    return { status: 200, body: price };
  }

  function route(req: IncomingMessage, body: Record<string, unknown>, raw: string) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return stripeError(401, 'Invalid API Key provided: sk_test_****');
    }
    const failure = failures.findIndex(
      (f) => f.method === method && url.pathname.startsWith(f.path),
    );
    if (failure >= 0) {
      const [f] = failures.splice(failure, 1) as [StripeFailure];
      const message = f.echo
        ? `Rejected ${method} ${url.pathname} (authorization: ${req.headers.authorization}) with body ${raw}`
        : f.status === 429
          ? 'Too many requests hit the API too quickly.'
          : 'An unknown error occurred';
      return {
        ...stripeError(f.status, message, f.status === 429 ? 'rate_limit' : undefined),
        headers: f.headers,
      };
    }
    const [, version, collection, id, ...rest] = url.pathname.split('/');
    if (version !== 'v1' || rest.length > 0)
      return stripeError(404, `Unrecognized request URL (${method}: ${url.pathname}).`);
    if (collection === 'webhook_endpoints') return webhookEndpoints(method, id, body, url);
    if (collection === 'events' && method === 'GET' && id === undefined) {
      const since = Number(url.searchParams.get('created[gte]') ?? 0);
      const newestFirst = events
        .filter((e) => e.created >= since)
        .sort((a, b) => b.created - a.created)
        .map((e) => ({ object: 'event', data: { object: {} }, ...e }));
      return listPage(url, newestFirst);
    }
    if (collection === 'products') return productRoute(method, id, body);
    if (collection === 'prices') return priceRoute(method, id, body);
    return stripeError(404, `Unrecognized request URL (${method}: ${url.pathname}).`);
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const part of req) raw += part;
    const body = parseForm(raw);
    const answer = route(req, body, raw) as {
      status: number;
      body: unknown;
      headers?: Record<string, string>;
    };
    requests.push({ method: req.method ?? '', path: req.url ?? '', body, status: answer.status });
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

  return {
    connection: { host: '127.0.0.1', port, protocol: 'http' } satisfies StripeConnection,
    requests,
    endpoints,
    products,
    prices,
    events,
    fail: (failure: StripeFailure) => failures.push(failure),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;
