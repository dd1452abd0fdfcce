import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../scripts/local-backend';
import { serveFunction } from '../../scripts/local-backend/functions';
import { createUser } from '../../scripts/local-backend/users';
import { START_TIMEOUT_MS } from './database';
import type { SpeechResponse as SpeechBody } from '../../speech/index.ts';

describe('tts over HTTP on the local backend', () => {
  let backend: LocalBackend;
  let userId: string;
  let token: string;

  beforeAll(async () => {
    backend = await startLocalBackend();
    userId = await createUser(backend.sql, 'reader@example.com');
    token = await backend.signToken(userId);
  }, START_TIMEOUT_MS);
  afterAll(() => backend?.stop());
  beforeEach(() => {
    backend.speechEndpoint.requests.length = 0;
  });

  const tts = (body: unknown, bearer: string | null = token) =>
    fetch(`${backend.url}/functions/v1/tts`, {
      method: 'POST',
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const cachedAnswers = async (answer: string) =>
    (
      await backend.sql`select count(*)::int as n from public.speech_answers
        where answer = ${answer}`
    )[0]!.n as number;
  /** Asks twice, so that the speech is cached, and waits for the write, which ends after the answer. */
  const ttsCached = async (body: unknown) => {
    await (await tts(body)).arrayBuffer();
    const response = await tts(body);
    const answer = await response.clone().text();
    await expect.poll(() => cachedAnswers(answer)).toBe(1);
    return response;
  };
  const usedBy = async (user: string) => {
    const [row] =
      await backend.sql`select coalesce(sum(characters), 0)::int as used from public.usage where user_id = ${user}`;
    return row!.used as number;
  };
  const cacheSize = async () =>
    (await backend.sql`select count(*)::int as n from public.speech_answers`)[0]!.n as number;
  const expectError = async (
    response: Response,
    status: number,
    code: string,
    message?: RegExp,
  ) => {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    if (message) expect(body.error.message).toMatch(message);
  };
  /** Runs `act`, then checks it charged nothing, cached nothing and never called the endpoint. */
  const expectNoEffect = async (act: () => Promise<void>, user = userId) => {
    const [used, cached] = [await usedBy(user), await cacheSize()];
    await act();
    expect([await usedBy(user), await cacheSize()]).toEqual([used, cached]);
    expect(backend.speechEndpoint.requests).toEqual([]);
  };

  it('401 for a missing, expired, forged or tampered token', async () => {
    const forger = await generateKeyPair('ES256');
    const forged = await new SignJWT({
      role: 'authenticated',
      aud: 'authenticated',
      iss: `${backend.url}/auth/v1`,
      sub: userId,
    })
      .setProtectedHeader({ alg: 'ES256' })
      .setExpirationTime('1h')
      .sign(forger.privateKey);
    const expired = await backend.signToken(userId, {}, Math.floor(Date.now() / 1000) - 60);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: userId, aud: 'authenticated', role: 'service_role' }),
    ).toString('base64url');
    await expectNoEffect(async () => {
      await expectError(await tts({ text: 'hi' }, null), 401, 'missing_token', /Bearer/);
      await expectError(await tts({ text: 'hi' }, expired), 401, 'token_expired');
      await expectError(await tts({ text: 'hi' }, forged), 401, 'invalid_token');
      await expectError(
        await tts({ text: 'hi' }, `${header}.${payload}.${signature}`),
        401,
        'invalid_token',
      );
    });
  });

  it('401 for a valid token whose account is gone, before calling the endpoint', async () => {
    const deleted = await createUser(backend.sql, 'gone@example.com');
    const bearer = await backend.signToken(deleted);
    await backend.sql`delete from auth.users where id = ${deleted}`;
    await expectNoEffect(async () => {
      await expectError(await tts({ text: 'Anyone there?' }, bearer), 401, 'unknown_user');
    }, deleted);
  });

  it('400 or 413 with a clear message for bad input', async () => {
    await expectNoEffect(async () => {
      await expectError(await tts('{"text": "unterminated'), 400, 'invalid_json', /JSON/);
      await expectError(
        await tts({ text: '' }),
        400,
        'empty_text',
        /`text` must be a non-empty string/,
      );
      await expectError(
        await tts({ text: 'x'.repeat(5001) }),
        413,
        'text_too_long',
        /limit is 5000/,
      );
      await expectError(
        await tts({ text: 'hi', voice: 'hal9000' }),
        400,
        'unknown_voice',
        /`voice` must be one of/,
      );
      await expectError(await tts({ text: 'hi', speed: 9 }), 400, 'invalid_speed', /0.5 to 2/);
      await expectError(await tts({ text: 'Read\u0000me' }), 400, 'invalid_text', /NUL/);
      await expectError(
        await tts('{"text":"Read \\ud83d me"}'),
        400,
        'invalid_text',
        /unpaired surrogate/,
      );
      await expectError(
        await tts({ text: '\u200b\u200c\u2060\u200b' }),
        400,
        'empty_text',
        /nothing to read/,
      );
    });
  });

  it('speech matches the contract: words ascending, within the audio, offsets slice the text', async () => {
    const text = 'Hello, world! Numbers like 42 and repeated words: words, words.';
    const before = await usedBy(userId);
    const response = await tts({ text, voice: 'am_adam', speed: 1.5 });
    expect(response.status).toBe(200);
    const speech = (await response.json()) as SpeechBody;
    expect(speech.audio.mime).toBe('audio/ogg');
    expect(Buffer.from(speech.audio.data, 'base64').subarray(0, 4).toString()).toBe('OggS');
    expect(speech.words.map((w) => text.slice(w.charStart, w.charEnd))).toEqual(text.split(' '));
    expect(speech.words.map((w) => w.text)).toEqual(text.split(' '));
    for (const [i, word] of speech.words.entries()) {
      expect(word.start).toBeLessThanOrEqual(word.end);
      expect(word.end).toBeLessThanOrEqual(speech.durationMs);
      if (i > 0) expect(word.start).toBeGreaterThanOrEqual(speech.words[i - 1]!.end);
    }
    expect(backend.speechEndpoint.requests).toEqual([{ text, voice: 'am_adam', speed: 1.5 }]);
    expect(await usedBy(userId)).toBe(before + text.length);
  });

  it('speech is cached on its second request, not on its first', async () => {
    const request = { text: 'Read once, or maybe twice.', voice: 'am_michael' };
    const first = await (await tts(request)).text();
    const asked = async () =>
      (await backend.sql`select count(*)::int as n from public.speech_asked`)[0]!.n as number;
    const [askedAfterFirst, cachedAfterFirst] = [await asked(), await cacheSize()];
    expect(await cachedAnswers(first)).toBe(0);
    const second = await (await tts(request)).text();
    await expect.poll(() => cachedAnswers(second)).toBe(1);
    expect(backend.speechEndpoint.requests).toHaveLength(2);
    expect([await asked(), await cacheSize()]).toEqual([askedAfterFirst, cachedAfterFirst + 1]);
  });

  it('a repeated request is served from the cache without calling the endpoint, and still charged', async () => {
    const request = { text: 'Cache me if you can.', voice: 'bf_emma' };
    const first = (await (await ttsCached(request)).json()) as SpeechBody;
    expect(backend.speechEndpoint.requests).toHaveLength(2);
    const before = await usedBy(userId);

    const response = await tts(request);
    expect(response.status).toBe(200);
    const second = (await response.json()) as SpeechBody;
    expect(second).toEqual(first);
    expect(backend.speechEndpoint.requests).toHaveLength(2);
    expect(await usedBy(userId)).toBe(before + request.text.length);
    const [entry] =
      await backend.sql`select hits, voice from public.speech_answers where voice = 'bf_emma'`;
    expect(entry).toEqual({ hits: 1, voice: 'bf_emma' });

    await tts({ ...request, speed: 1.25 });
    expect(backend.speechEndpoint.requests).toHaveLength(3);
  });

  it('speech one instance cached is served by another from the database, as the first answered it', async () => {
    // A speed no other case asks for names this row, whatever earlier cases still write.
    const request = { text: 'Made by one instance, read aloud by another.', speed: 0.75 };
    const first = (await (await ttsCached(request)).json()) as SpeechBody;
    const other = await serveFunction('tts', backend.functionEnv);
    try {
      const response = await fetch(`http://127.0.0.1:${other.port}/functions/v1/tts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify(request),
      });
      expect(await response.json()).toEqual(first);
      expect(backend.speechEndpoint.requests).toHaveLength(2);
    } finally {
      await other.stop();
    }
  });

  it('an answer does not tell whether another user already read the same text', async () => {
    const text = 'Only the two of us read this.';
    const mine = await ttsCached({ text });
    const other = await createUser(backend.sql, 'neighbour@example.com');
    const theirs = await tts({ text }, await backend.signToken(other));
    expect(backend.speechEndpoint.requests).toHaveLength(2);
    expect([mine.status, theirs.status]).toEqual([200, 200]);
    expect(await theirs.json()).toEqual(await mine.json());
  });

  it('402 when the quota is used up: nothing charged, endpoint not called, cache not served', async () => {
    const reader = await createUser(backend.sql, 'heavy@example.com');
    const bearer = await backend.signToken(reader);
    await backend.sql`insert into public.usage (user_id, month, characters, quota)
      values (${reader}, date_trunc('month', now()), 19995, 20000)`;
    await expectNoEffect(async () => {
      await expectError(
        await tts({ text: 'Eleven char' }, bearer),
        402,
        'quota_exhausted',
        /quota/,
      );
      await expectError(
        await tts({ text: 'Cache me if you can.', voice: 'bf_emma' }, bearer),
        402,
        'quota_exhausted',
      );
    }, reader);
    expect((await tts({ text: 'Fits.' }, bearer)).status).toBe(200);
    expect(await usedBy(reader)).toBe(20000);
  });

  it("the month's first charge creates its row with the quota; a plan change reaches the row at once", async () => {
    const reader = await createUser(backend.sql, 'ledger@example.com');
    const charge = async (characters: number) =>
      (await backend.sql`select public.charge_characters(${reader}, ${characters}) as ok`)[0]!
        .ok as boolean;
    const row = async () =>
      (await backend.sql`select characters, quota from public.usage where user_id = ${reader}`)[0];
    expect(await charge(15000)).toBe(true);
    expect(await row()).toEqual({ characters: 15000, quota: 20000 });
    expect(await charge(6000)).toBe(false);
    await backend.sql`insert into public.subscriptions
      (user_id, stripe_customer_id, stripe_subscription_id, status, last_event_at)
      values (${reader}, 'cus_ledger', 'sub_ledger', 'active', now())`;
    expect(await row()).toEqual({ characters: 15000, quota: 1_000_000 });
    expect(await charge(6000)).toBe(true);
    await backend.sql`update public.subscriptions set status = 'canceled' where user_id = ${reader}`;
    expect(await row()).toEqual({ characters: 21000, quota: 20000 });
    expect(await charge(1)).toBe(false);
    expect(await row()).toEqual({ characters: 21000, quota: 20000 });
  });

  it("a charge racing the month's first is charged once that one commits, not refused", async () => {
    const reader = await createUser(backend.sql, 'eager@example.com');
    let second: Promise<{ ok: boolean }[]> | undefined;
    await backend.sql.begin(async (first) => {
      await first`select public.charge_characters(${reader}, 100)`;
      // The second charge finds no row it can see, and its insert waits for the first's.
      second = backend.sql<
        { ok: boolean }[]
      >`select public.charge_characters(${reader}, 100) as ok`.execute();
      await expect
        .poll(
          async () =>
            (
              await backend.sql`select count(*)::int as n from pg_stat_activity
                where wait_event_type = 'Lock' and query like '%charge_characters%'`
            )[0]!.n,
        )
        .toBe(1);
    });
    expect((await second!)[0]!.ok).toBe(true);
    expect(await usedBy(reader)).toBe(200);
  });

  it('concurrent requests cannot overspend the quota', async () => {
    const reader = await createUser(backend.sql, 'burst@example.com');
    const bearer = await backend.signToken(reader);
    await backend.sql`insert into public.usage (user_id, month, characters, quota)
      values (${reader}, date_trunc('month', now()), 19975, 20000)`;
    const statuses = await Promise.all(
      ['burst one.', 'burst two.', 'burst 333.', 'burst 444.', 'burst 555.'].map(
        async (text) => (await tts({ text }, bearer)).status,
      ),
    );
    expect(statuses.sort()).toEqual([200, 200, 402, 402, 402]);
    expect(await usedBy(reader)).toBe(19995);
  });

  it('upstream 5xx: retried, then 502 with nothing charged or cached', async () => {
    const used = await usedBy(userId);
    const cached = await cacheSize();
    backend.speechEndpoint.behave({ status: 503 }, { status: 500 }, { status: 503 });
    await expectError(
      await tts({ text: 'The endpoint is down.' }),
      502,
      'upstream_failed',
      /nothing was charged/,
    );
    expect(backend.speechEndpoint.requests).toHaveLength(3);
    expect([await usedBy(userId), await cacheSize()]).toEqual([used, cached]);
  });

  it('a slow endpoint, within the timeout, is waited for', async () => {
    backend.speechEndpoint.behave({ delayMs: 300 });
    expect((await tts({ text: 'Take your time.' })).status).toBe(200);
    expect(backend.speechEndpoint.requests).toHaveLength(1);
  });

  it('upstream 4xx is not retried; a 429 is, and then succeeds', async () => {
    backend.speechEndpoint.behave({ status: 400 });
    await expectError(await tts({ text: 'Refused upstream.' }), 502, 'upstream_failed');
    expect(backend.speechEndpoint.requests).toHaveLength(1);

    backend.speechEndpoint.behave({ status: 429 });
    expect((await tts({ text: 'Busy, then fine.' })).status).toBe(200);
    expect(backend.speechEndpoint.requests).toHaveLength(3);
  });
});
