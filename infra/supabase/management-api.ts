import { redact } from '../redact';

/** Where a provider method talks to: one project through the Management API. */
export interface ApiTarget {
  projectRef: string;
  apiUrl: string;
  accessToken: string;
}

export interface CallOptions {
  /** The JSON request body. */
  body?: unknown;
  /** Values that must never reach an error message (secret values being written). */
  redact?: string[];
  /** First retry delay; tests shorten it. */
  startingDelayMs?: number;
  /** How a rate-limit window is waited out; tests record the wait instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
}

/** Requests per call: after a 429 the next one waits for the window to reset, so 5 outlast 4 windows. */
const ATTEMPTS = 5;
/** Over its rate limit the API refuses the rest of the minute: no reset is further away. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

const retriable = (status: number | undefined) =>
  status === undefined || status === 429 || status >= 500;

/** How long until the rate-limit window resets; X-RateLimit-Reset counts seconds. */
function rateLimitWaitMs(headers: Headers | undefined): number {
  const seconds = Number(headers?.get('x-ratelimit-reset') ?? Number.NaN);
  if (!Number.isFinite(seconds) || seconds < 0) return RATE_LIMIT_WINDOW_MS;
  return Math.min(seconds * 1000, RATE_LIMIT_WINDOW_MS);
}

const failure = (message: string, status: number, headers?: Headers) =>
  Object.assign(new Error(message), { status, headers });

/**
 * One request on fetch: the client library parses every body labelled JSON, so an empty one
 * (POST /secrets answers 201 without a schema) throws there and the write looks failed.
 */
async function request(target: ApiTarget, endpoint: string, body: unknown): Promise<unknown> {
  const [method, path] = endpoint.split(' ') as [string, string];
  const response = await fetch(`${target.apiUrl}/v1/projects/${target.projectRef}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${target.accessToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data: unknown = text === '' ? undefined : text;
  if (data !== undefined && response.headers.get('content-type')?.includes('application/json')) {
    try {
      data = JSON.parse(text);
    } catch {
      if (response.ok) throw failure('the response is labelled JSON but is not', response.status);
    }
  }
  if (response.ok) return data;
  const message = (data as { message?: unknown } | undefined)?.message;
  throw failure(
    typeof message === 'string' ? message : `HTTP ${response.status}`,
    response.status,
    response.headers,
  );
}

/**
 * Calls one Management API endpoint of the project (`endpoint` is `METHOD /path`), retrying
 * network failures and 5xx with backoff, and 429 once its rate-limit window has reset.
 * Dynamic providers are serialised by Pulumi, so modules are required inside the call.
 */
export async function callManagementApi<T>(
  target: ApiTarget,
  endpoint: string,
  options: CallOptions = {},
): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { backOff } = require('exponential-backoff');
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  try {
    return (await backOff(() => request(target, endpoint, options.body), {
      numOfAttempts: ATTEMPTS,
      startingDelay: options.startingDelayMs ?? 500,
      timeMultiple: 2,
      maxDelay: 10_000,
      jitter: 'full',
      retry: async (error: { status?: number; headers?: Headers }, attempt: number) => {
        if (!retriable(error.status) || attempt >= ATTEMPTS) return false;
        if (error.status === 429) await sleep(rateLimitWaitMs(error.headers));
        return true;
      },
    })) as T;
  } catch (error) {
    const { status, message } = error as { status?: number; message?: string };
    const hint =
      status === 401 || status === 403
        ? ' (check SUPABASE_ACCESS_TOKEN: it must be a valid token with access to this project)'
        : '';
    const detail = redact(String(message ?? error), [
      target.accessToken,
      ...(options.redact ?? []),
    ]);
    // The cause is left off on purpose: it can carry the request, and so a secret value.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(
      `Supabase Management API ${endpoint} for project ${target.projectRef} failed` +
        `${status === undefined ? '' : ` with HTTP ${status}`}: ${detail}${hint}`,
    );
  }
}
