import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StripeEvent } from '../health-checks';
import { sendJson } from '../../testing/http';

/**
 * Stripe's `GET /v1/events` on 127.0.0.1, as the `stripe` client pages it: `created[gte]`,
 * `limit`, `starting_after`, a `{object: 'list', data, has_more}` answer, newest first, and
 * Stripe's error envelope for a refused key.
 */
export async function startFakeStripe(apiKey: string, events: StripeEvent[]) {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return sendJson(res, 401, {
        error: {
          type: 'invalid_request_error',
          code: 'api_key_invalid',
          message: 'Invalid API Key provided',
        },
      });
    }
    if (req.method !== 'GET' || url.pathname !== '/v1/events') {
      return sendJson(res, 404, {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${url.pathname})`,
        },
      });
    }
    const since = Number(url.searchParams.get('created[gte]') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const after = url.searchParams.get('starting_after');
    const newestFirst = events
      .filter((e) => e.created >= since)
      .sort((a, b) => b.created - a.created);
    const start = after ? newestFirst.findIndex((e) => e.id === after) + 1 : 0;
    const page = newestFirst.slice(start, start + limit);
    sendJson(res, 200, {
      object: 'list',
      url: '/v1/events',
      has_more: start + limit < newestFirst.length,
      data: page.map((e) => ({ object: 'event', data: { object: {} }, ...e })),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
