import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import pLimit from 'p-limit';
import type { HandlerEnv } from '../env';
import type { Logger } from '../log';
import type { Synthesiser } from '../synthesis';
import { HEALTH_ROUTE, SPEECH_ROUTE } from '../../../speech/index.ts';
import { parseSpeechRequest, RequestError } from './request';

// Seconds a client should wait before trying again when the handler is busy or loading.
const RETRY_AFTER_SECONDS = '1';

export interface HandlerServer {
  server: Server;
  // Health turns 200 and speech requests are served from this call on.
  ready(synthesiser: Synthesiser): void;
  // Speech requests being synthesised and waiting for a slot.
  load(): { running: number; queued: number };
  // Stops accepting, lets admitted requests finish, then closes.
  shutdown(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: string, message: string) {
  const headers: Record<string, string> =
    status === 503 ? { 'retry-after': RETRY_AFTER_SECONDS } : {};
  send(res, status, { error: { code, message } }, headers);
}

// Reads at most maxBytes of body; more is a 413 before any parsing.
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new RequestError(413, 'body_too_large', `body is larger than ${maxBytes} bytes`));
        return;
      }
      parts.push(part);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export function createHandlerServer(env: HandlerEnv, log: Logger): HandlerServer {
  let synthesiser: Synthesiser | undefined;
  let closing = false;
  const limit = pLimit(env.maxConcurrency);
  const inFlight = new Set<Promise<unknown>>();
  // JSON escapes and UTF-8 take at most 6 bytes per character, plus room for the other fields.
  const maxBodyBytes = env.maxTextChars * 6 + 1024;

  const notReady = (res: ServerResponse) =>
    closing
      ? sendError(res, 503, 'shutting_down', 'the handler is shutting down')
      : sendError(res, 503, 'loading', 'the model is not loaded yet');

  async function speak(req: IncomingMessage, res: ServerResponse): Promise<Record<string, number>> {
    const current = synthesiser;
    if (!current || closing) {
      notReady(res);
      return {};
    }
    const raw = await readBody(req, maxBodyBytes);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new RequestError(400, 'invalid_json', 'body must be JSON');
    }
    const request = parseSpeechRequest(body, {
      maxTextChars: env.maxTextChars,
      defaultVoice: env.defaultVoice,
      voices: [...current.voices].sort(),
    });
    if (limit.activeCount + limit.pendingCount >= env.maxConcurrency + env.maxQueue) {
      sendError(res, 503, 'busy', 'too many requests in progress; retry later');
      return { chars: request.text.length };
    }
    const work = limit(() => current.synthesise(request));
    inFlight.add(work);
    try {
      const result = await work;
      send(res, 200, result);
      return { chars: request.text.length, words: result.words.length };
    } finally {
      inFlight.delete(work);
    }
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    const path = new URL(req.url ?? '/', 'http://handler').pathname;
    const route = async (): Promise<Record<string, number>> => {
      if (path === HEALTH_ROUTE && req.method === 'GET') {
        if (synthesiser && !closing) send(res, 200, { status: 'ok' });
        else notReady(res);
        return {};
      }
      if (path !== SPEECH_ROUTE) {
        sendError(res, 404, 'not_found', `no route ${path}`);
        return {};
      }
      if (req.method !== 'POST') {
        sendError(res, 405, 'method_not_allowed', 'use POST');
        return {};
      }
      return speak(req, res);
    };
    route()
      .catch((error: unknown) => {
        if (error instanceof RequestError) sendError(res, error.status, error.code, error.message);
        else {
          log('error', 'synthesis failed', {
            error: error instanceof Error ? error.message : 'unknown',
          });
          sendError(res, 500, 'internal', 'speech synthesis failed');
        }
        return {};
      })
      .then((fields) => {
        log('info', 'request', {
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          ...fields,
        });
      });
  });

  return {
    server,
    ready(loaded) {
      synthesiser = loaded;
    },
    load: () => ({ running: limit.activeCount, queued: limit.pendingCount }),
    async shutdown() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      server.closeIdleConnections();
      await closed;
    },
  };
}
