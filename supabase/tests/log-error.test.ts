import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../scripts/local-backend';
import { createUser } from '../../scripts/local-backend/users';
import { START_TIMEOUT_MS } from './database';

describe('log-error over HTTP on the local backend', () => {
  let backend: LocalBackend;
  let userId: string;

  beforeAll(async () => {
    backend = await startLocalBackend();
    userId = await createUser(backend.sql, 'reporter@example.com');
  }, START_TIMEOUT_MS);
  afterAll(() => backend?.stop());

  /**
   * POSTs a report from `source`, a loopback address of its own, so that each test client reaches
   * the gateway from a different address, as distinct clients reach the platform's.
   */
  const report = (body: unknown, headers: Record<string, string> = {}, source = '127.0.0.2') =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(`${backend.url}/functions/v1/log-error`);
      const outgoing = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers,
          localAddress: source,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve(
              new Response(Buffer.concat(chunks), {
                status: incoming.statusCode,
                headers: incoming.headers as Record<string, string>,
              }),
            ),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  const stored = async () =>
    (await backend.sql`select count(*)::int as n from public.error_reports`)[0]!.n as number;
  const byAddress = (address: string) => `ip:${createHash('sha256').update(address).digest('hex')}`;

  it('stores a sanitised report from a signed-in user and answers 202', async () => {
    const token = await backend.signToken(userId);
    const response = await report(
      {
        message: `TypeError at https://site.example/read?q=secret for me@example.com`,
        stack: `Bearer ${token}`,
        pageUrl: 'https://site.example/read?q=secret#top',
        extensionVersion: '0.3.1',
      },
      { authorization: `Bearer ${token}`, 'user-agent': 'Chrome/131' },
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true });
    const [row] =
      await backend.sql`select user_id, reporter, message, stack, page_url, extension_version, user_agent
      from public.error_reports where user_id = ${userId}`;
    expect(row).toEqual({
      user_id: userId,
      reporter: `user:${userId}`,
      message: 'TypeError at https://site.example/read for [email]',
      stack: 'Bearer [redacted]',
      page_url: 'https://site.example/read',
      extension_version: '0.3.1',
      user_agent: 'Chrome/131',
    });
  });

  it('a report without a valid token is taken, by a hash of the address', async () => {
    const expired = await backend.signToken(userId, {}, Math.floor(Date.now() / 1000) - 60);
    const address = '127.0.0.9';
    expect(
      (
        await report(
          { message: 'session expired' },
          { authorization: `Bearer ${expired}` },
          address,
        )
      ).status,
    ).toBe(202);
    const rows =
      await backend.sql`select user_id, reporter from public.error_reports where message = 'session expired'`;
    expect(rows).toEqual([{ user_id: null, reporter: byAddress(address) }]);
  });

  it('413 for an oversize report, 400 for a malformed one; nothing stored', async () => {
    const before = await stored();
    const oversize = await report({ message: 'x'.repeat(17 * 1024) });
    expect(oversize.status).toBe(413);
    expect(((await oversize.json()) as { error: { code: string } }).error.code).toBe(
      'payload_too_large',
    );
    expect((await report('{"message":')).status).toBe(400);
    expect((await report({ stack: 'no message' })).status).toBe(400);
    expect(await stored()).toBe(before);
  });

  it('429 over the rate for one address, nothing stored; other reporters are unaffected', async () => {
    const address = '127.0.0.77';
    const statuses = [];
    for (let i = 0; i < 10; i += 1)
      statuses.push((await report({ message: `burst ${i}` }, {}, address)).status);
    expect(statuses).toEqual(Array(10).fill(202));

    const before = await stored();
    const limited = await report({ message: 'one too many' }, {}, address);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(await stored()).toBe(before);

    expect((await report({ message: 'elsewhere' }, {}, '127.0.0.78')).status).toBe(202);
  });

  it('a client rotating X-Forwarded-For is limited by the address it connects from', async () => {
    const statuses = [];
    for (let i = 0; i < 11; i += 1) {
      const forged = { 'x-forwarded-for': `198.51.100.${i}` };
      statuses.push((await report({ message: `rotating ${i}` }, forged, '127.0.0.66')).status);
    }
    expect(statuses).toEqual([...Array(10).fill(202), 429]);
    const [row] =
      await backend.sql`select count(*)::int as n from public.error_reports where reporter = ${byAddress('127.0.0.66')}`;
    expect(row!.n).toBe(10);
  });

  it("a user's limit holds whatever address they report from", async () => {
    const reporter = await createUser(backend.sql, 'chatty@example.com');
    const authorization = `Bearer ${await backend.signToken(reporter)}`;
    const statuses = [];
    for (let i = 0; i < 11; i += 1) {
      statuses.push(
        (await report({ message: `from ${i}` }, { authorization }, `127.0.1.${100 + i}`)).status,
      );
    }
    expect(statuses).toEqual([...Array(10).fill(202), 429]);
  });

  it('anonymous reports together are capped, so rotating addresses cannot flood the table', async () => {
    await backend.sql`insert into public.error_reports (reporter, message)
      select 'ip:flood' || n, 'flood' from generate_series(1, 300) as n`;
    const before = await stored();
    expect((await report({ message: 'one more' }, {}, '127.0.0.200')).status).toBe(429);
    const token = await backend.signToken(userId);
    expect(
      (await report({ message: 'signed in' }, { authorization: `Bearer ${token}` })).status,
    ).toBe(202);
    expect(await stored()).toBe(before + 1);
    await backend.sql`delete from public.error_reports where message = 'flood'`;
  });

  it('a burst in parallel stores exactly the limit', async () => {
    const statuses = await Promise.all(
      Array.from(
        { length: 15 },
        async (_, i) => (await report({ message: `parallel ${i}` }, {}, '127.0.0.99')).status,
      ),
    );
    expect(statuses.filter((s) => s === 202)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const [row] =
      await backend.sql`select count(*)::int as n from public.error_reports where reporter = ${byAddress('127.0.0.99')}`;
    expect(row!.n).toBe(10);
  });
});
