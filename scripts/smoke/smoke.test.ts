import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHandlerEnv } from '../../hf-handler/src/env';
import { createHandlerServer, type HandlerServer } from '../../hf-handler/src/server/server';
import { startTinyHandler } from '../../hf-handler/testing/tiny-handler';
import { repoRoot } from '../../infra/paths';
import type { SpeechResponse } from '../../speech/index.ts';
import { START_TIMEOUT_MS } from '../../supabase/tests/database';
import { startLocalBackend, type LocalBackend } from '../local-backend';
import { serveFunction, type ServedFunction } from '../local-backend/functions';
import { createUser } from '../local-backend/users';
import { runSmoke, type SmokeTarget, type StoreItemState, type StepResult } from './smoke';

const EMAIL = 'smoke@example.com';
const PASSWORD = 'smoke-test-password';
const ANON_KEY = 'local-anon-key';

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const readBody = async (stream: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** A deployed `tts` with a bug: its answers changed on the way out. */
type Breakage = (speech: SpeechResponse) => SpeechResponse;

// The local backend with the real tts and health functions in front of the real speech handler on
// its tiny model; a small front door adds Supabase Auth's password grant (the local backend has no
// Auth server) and lets a test take tts down or break its answers.
describe('the post-deploy smoke test against the local backend', () => {
  let modelDir: string;
  let handler: HandlerServer;
  let loadingHandler: HandlerServer;
  let handlerUrl: string;
  let loadingHandlerUrl: string;
  let backend: LocalBackend;
  let tts: ServedFunction | undefined;
  let front: Server;
  let frontUrl: string;
  let userId: string;
  let breakage: Breakage | undefined;
  let store: StoreItemState;

  beforeAll(async () => {
    ({ modelDir, handler, url: handlerUrl } = await startTinyHandler());
    // A handler still loading its model: its health route answers 503, as a broken endpoint does.
    loadingHandler = createHandlerServer(readHandlerEnv({ DEFAULT_VOICE: 'af_heart' }), () => {});
    loadingHandlerUrl = await listen(loadingHandler.server);

    backend = await startLocalBackend({ speechEndpointUrl: handlerUrl });
    tts = await serveFunction('tts', backend.functionEnv);
    userId = await createUser(backend.sql, EMAIL);

    front = createServer(async (req, res) => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const body = await readBody(req);
      if (req.method === 'POST' && req.url === '/auth/v1/token?grant_type=password') {
        const { email, password } = JSON.parse(body.toString()) as Record<string, string>;
        if (email !== EMAIL || password !== PASSWORD || req.headers.apikey !== ANON_KEY) {
          return send(400, {
            code: 400,
            error_code: 'invalid_credentials',
            msg: 'Invalid login credentials',
          });
        }
        return send(200, {
          access_token: await backend.signToken(userId),
          token_type: 'bearer',
          expires_in: 3600,
          expires_at: Math.floor(Date.now() / 1000) + 3600,
          refresh_token: 'refresh-1',
          user: { id: userId, aud: 'authenticated', role: 'authenticated', email },
        });
      }
      const toTts = req.url?.startsWith('/functions/v1/tts');
      const upstream = new URL(
        req.url ?? '/',
        toTts ? `http://127.0.0.1:${tts?.port ?? 9}` : backend.url,
      );
      const forward = request(
        upstream,
        { method: req.method, headers: { ...req.headers, host: upstream.host } },
        async (answer) => {
          const answered = await readBody(answer);
          const broken =
            toTts && breakage && answer.statusCode === 200
              ? Buffer.from(
                  JSON.stringify(breakage(JSON.parse(answered.toString()) as SpeechResponse)),
                )
              : answered;
          const { 'content-length': _, ...headers } = answer.headers;
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(broken);
        },
      );
      // What the platform's gateway answers when a function does not boot.
      forward.on('error', () =>
        send(503, { code: 'BOOT_ERROR', message: 'Function failed to start' }),
      );
      forward.end(body);
    });
    frontUrl = await listen(front);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await new Promise((resolve) => front?.close(resolve));
    await tts?.stop();
    await backend?.stop();
    await handler?.shutdown();
    await loadingHandler?.shutdown();
    await rm(modelDir, { recursive: true, force: true });
  });

  const target = (over: Partial<SmokeTarget> = {}): SmokeTarget => ({
    supabaseUrl: frontUrl,
    anonKey: ANON_KEY,
    user: { email: EMAIL, password: PASSWORD },
    endpoint: { url: handlerUrl, token: backend.functionEnv.HF_TOKEN! },
    store: { read: () => Promise.resolve(store) },
    ...over,
  });
  const failures = (results: StepResult[]) =>
    results.filter((r) => !r.ok).map((r) => `${r.step}: ${r.message}`);

  const published: StoreItemState = {
    takenDown: false,
    published: { state: 'PUBLISHED', version: '1.4.2' },
    submitted: { state: 'PENDING_REVIEW', version: '1.4.3' },
  };

  it('passes on a healthy stack, each step saying what it checked', async () => {
    store = published;
    breakage = undefined;
    const results = await runSmoke(target());
    expect(results).toEqual([
      { step: 'health function', ok: true, message: 'the database and the endpoint answer' },
      { step: 'sign-in of the smoke user', ok: true, message: 'signed in' },
      {
        step: 'tts speaks by the speech contract',
        ok: true,
        message: 'audio decodes, 4 words in order inside the text',
      },
      { step: 'speech endpoint health route', ok: true, message: '/health answered 200' },
      { step: 'store item', ok: true, message: 'version 1.4.2 is PUBLISHED' },
    ]);
  });

  it('fails on an unhealthy endpoint', async () => {
    store = published;
    const results = await runSmoke(target({ endpoint: { url: loadingHandlerUrl, token: 't' } }));
    expect(failures(results)).toEqual(['speech endpoint health route: /health answered 503']);
  });

  it.each<[string, Breakage, string]>([
    [
      'words out of order',
      (s) => ({ ...s, words: [...s.words].reverse() }),
      'words are not in order',
    ],
    [
      'offsets outside the text',
      (s) => ({
        ...s,
        words: s.words.map((w) => ({ ...w, charStart: w.charStart + 40, charEnd: w.charEnd + 40 })),
      }),
      'word 0 does not match its offsets',
    ],
    [
      'audio that does not decode',
      (s) => ({ ...s, audio: { ...s.audio, data: s.audio.data.slice(0, 200) } }),
      'audio is truncated',
    ],
    ['audio shorter than stated', (s) => ({ ...s, durationMs: s.durationMs + 100 }), 'audio lasts'],
  ])('fails when tts breaks the speech contract: %s', async (_, breaks, problem) => {
    store = published;
    breakage = breaks;
    const results = await runSmoke(target());
    breakage = undefined;
    expect(failures(results)).toEqual([
      expect.stringContaining(
        `tts speaks by the speech contract: the speech contract is broken: ${problem}`,
      ),
    ]);
  });

  it('fails at sign-in with wrong credentials and does not call tts without a session', async () => {
    store = published;
    const results = await runSmoke(target({ user: { email: EMAIL, password: 'wrong' } }));
    expect(failures(results)).toEqual([
      'sign-in of the smoke user: sign-in refused (Invalid login credentials)',
      'tts speaks by the speech contract: not run: no session',
    ]);
  });

  it.each<[StoreItemState, string]>([
    [{ ...published, takenDown: true }, 'store item: the item is taken down'],
    [
      { ...published, submitted: { state: 'REJECTED', version: '1.4.3' } },
      'store item: version 1.4.3 was rejected by review',
    ],
    [{ takenDown: false }, 'store item: no version is published'],
  ])('fails on a store item users cannot install: %j', async (state, failure) => {
    store = state;
    expect(failures(await runSmoke(target()))).toEqual([failure]);
  });

  it('gives every step a timeout and says which step hung', async () => {
    const results = await runSmoke(
      target({ store: { read: () => new Promise(() => {}) }, stepTimeoutMs: 2_000 }),
    );
    expect(failures(results)).toEqual(['store item: no answer within 2000 ms']);
  });

  it('as npm run smoke: fails the job, writes the job summary and prints the rollback command', async () => {
    const summaryDir = await mkdtemp(join(tmpdir(), 'smoke-summary-'));
    const summaryFile = join(summaryDir, 'summary.md');
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(
        'node_modules/.bin/tsx',
        ['scripts/smoke/cli.ts', '--stack', 'staging'],
        {
          cwd: repoRoot,
          env: {
            PATH: process.env.PATH,
            SUPABASE_URL: frontUrl,
            SUPABASE_ANON_KEY: ANON_KEY,
            SMOKE_USER_EMAIL: EMAIL,
            SMOKE_USER_PASSWORD: PASSWORD,
            HF_ENDPOINT_URL: loadingHandlerUrl,
            HF_TOKEN: 'hf-token',
            GITHUB_SHA: 'abc123',
            GITHUB_STEP_SUMMARY: summaryFile,
          },
        },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
      );
    });
    const summary = await readFile(summaryFile, 'utf8');
    await rm(summaryDir, { recursive: true, force: true });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error title=smoke test of staging::speech endpoint health route: /health answered 503',
    );
    expect(run.stdout).toContain(
      'roll back with:\n  git revert --no-edit abc123   # on a branch off develop',
    );
    expect(run.stdout).not.toContain(PASSWORD);
    expect(summary).toContain('## Smoke test of staging: FAILED');
    expect(summary).toContain('| tts speaks by the speech contract | ok |');
    expect(summary).toContain(
      '| speech endpoint health route | **failed** | /health answered 503 |',
    );
    expect(summary).toContain('git revert --no-edit abc123');
  });

  it('as npm run smoke: names the missing credentials, never a value', async () => {
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        'node_modules/.bin/tsx',
        ['scripts/smoke/cli.ts', '--stack', 'prod'],
        { cwd: repoRoot, env: { PATH: process.env.PATH, HF_TOKEN: 'hf-secret-value' } },
        (error, _, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
      );
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'smoke test cannot start: SMOKE_USER_EMAIL, SMOKE_USER_PASSWORD, SUPABASE_ACCESS_TOKEN not set',
    );
    expect(run.stderr).not.toContain('hf-secret-value');
  });

  it('fails when the tts function is down', async () => {
    store = published;
    await tts?.stop();
    tts = undefined;
    const results = await runSmoke(target());
    expect(failures(results)).toEqual(['tts speaks by the speech contract: tts answered 503']);
  });
});
