import { redact } from '../redact';

export const HF_ENDPOINTS_API = 'https://api.endpoints.huggingface.cloud/v2';

export type EndpointState =
  | 'pending'
  | 'initializing'
  | 'updating'
  | 'updateFailed'
  | 'running'
  | 'paused'
  | 'failed'
  | 'scaledToZero';

export type EndpointImage = Record<string, unknown> & {
  custom?: { url: string; healthRoute?: string; port?: number };
};

/** The hardware an endpoint runs on and how it scales; `scaleToZeroTimeout` is in minutes. */
export interface EndpointCompute {
  accelerator: string;
  instanceType: string;
  instanceSize: string;
  scaling: { minReplica: number; maxReplica: number; scaleToZeroTimeout?: number | null };
}

export interface EndpointProvider {
  vendor: string;
  region: string;
}

// The fields of the endpoint JSON the rollout reads; the API returns more.
export interface Endpoint {
  name: string;
  compute?: EndpointCompute;
  provider?: EndpointProvider;
  model: { image: EndpointImage; env?: Record<string, string> };
  status: { state: EndpointState; message?: string; url?: string };
}

export interface EndpointUpdate {
  compute?: EndpointCompute;
  model: {
    image: EndpointImage;
    env?: Record<string, string>;
    secrets?: Record<string, string>;
  };
}

/** The body of `POST /endpoint/{ns}`: an endpoint declared whole. */
export interface EndpointCreate {
  name: string;
  type: 'public' | 'protected' | 'authenticated' | 'private';
  provider: EndpointProvider;
  compute: EndpointCompute;
  model: {
    repository: string;
    framework: string;
    task: string;
    image: EndpointImage;
    env: Record<string, string>;
    secrets: Record<string, string>;
  };
}

export interface RetryPolicy {
  retries: number;
  startingDelayMs: number;
}

/** Time as the rollout sees it: tests pass one that moves only when slept on. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class HfApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    // How long the API asked us to wait before trying again.
    readonly retryAfterMs = 0,
  ) {
    super(message);
  }
}

// The API's error text, in any of the shapes Hugging Face clients accept.
async function errorText(res: Response): Promise<string> {
  const header = res.headers.get('x-error-message');
  if (header) return header;
  const body = (await res.json().catch(() => ({}))) as {
    error?: string | string[];
    error_description?: string;
    errors?: { message?: string }[];
  };
  const parts = [
    ...(Array.isArray(body.error) ? body.error : [body.error]),
    body.error_description,
    ...(body.errors ?? []).map((e) => e.message),
  ].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length > 0 ? parts.join('; ') : res.statusText;
}

/**
 * The wait an answer asks for: `Retry-After` (seconds or an HTTP date), or the IETF `RateLimit`
 * header's `t` (seconds to reset) of the exhausted policies (`"api";r=0;t=55`), whichever is longer.
 */
export function retryAfterMs(headers: Headers, now: number): number {
  const retryAfter = headers.get('retry-after')?.trim() ?? '';
  const seconds = /^\d+$/.test(retryAfter)
    ? Number(retryAfter)
    : (Date.parse(retryAfter) - now) / 1000;
  const policies = (headers.get('ratelimit') ?? '').split(',').map((policy) => ({
    remaining: Number(/;\s*r=(\d+)/.exec(policy)?.[1]),
    reset: Number(/;\s*t=(\d+)/.exec(policy)?.[1] ?? 0),
  }));
  const exhausted = policies.filter((p) => p.remaining === 0);
  const resets = (exhausted.length > 0 ? exhausted : policies).map((p) => p.reset);
  return Math.max(0, Number.isFinite(seconds) ? seconds : 0, ...resets) * 1000;
}

// A request that hangs counts as failed (and is retried) rather than stalling the rollout.
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

// No answer (status 0), 429 and 5xx are worth another try; any other 4xx will not change.
const transient = (error: unknown): error is HfApiError =>
  error instanceof HfApiError &&
  (error.status === 0 || error.status === 429 || error.status >= 500);

const CREDENTIALS_HINT =
  " (check HF_TOKEN: it must be a Hugging Face token with write access to the endpoint's namespace)";

/**
 * The token goes only where the API itself lives: endpoints of api.endpoints.huggingface.cloud
 * serve under *.endpoints.huggingface.cloud, on the API's scheme and port.
 */
export function servesUnderApi(apiBase: string, url: string): boolean {
  const api = new URL(apiBase);
  const domain = api.hostname.replace(/^api\./, '');
  const target = URL.canParse(url) ? new URL(url) : undefined;
  return (
    target !== undefined &&
    target.protocol === api.protocol &&
    target.port === api.port &&
    target.username === '' &&
    target.password === '' &&
    (target.hostname === domain || target.hostname.endsWith(`.${domain}`))
  );
}

export function createEndpointsClient(options: {
  apiBase: string;
  token: string;
  // Values that must never reach an error or a log line, besides the token.
  secrets: string[];
  retry: RetryPolicy;
  clock: Clock;
  log: (line: string) => void;
}) {
  const hide = (text: string) => redact(text, [options.token, ...options.secrets]);

  async function once<T>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${options.apiBase}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    }).catch((error: unknown) => {
      // Refused, reset or timed out: no status, as transient as a 5xx.
      throw new HfApiError(
        0,
        hide(
          `${method} ${path} got no answer: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    });
    if (res.ok) return (await res.json()) as T;
    const hint = res.status === 401 || res.status === 403 ? CREDENTIALS_HINT : '';
    throw new HfApiError(
      res.status,
      hide(`${method} ${path} answered ${res.status}: ${await errorText(res)}${hint}`),
      retryAfterMs(res.headers, options.clock.now()),
    );
  }

  // Exponential backoff with full jitter, never sooner than the API asked for.
  // Not exponential-backoff: it sleeps on its own setTimeout; this wait must run on `clock`.
  async function call<T>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T> {
    for (let failed = 0; ; failed++) {
      try {
        return await once<T>(method, path, body);
      } catch (error) {
        if (!transient(error) || failed >= options.retry.retries) throw error;
        const backoff =
          Math.random() * Math.min(MAX_BACKOFF_MS, options.retry.startingDelayMs * 2 ** failed);
        const wait = Math.max(backoff, error.retryAfterMs);
        options.log(
          `${error.message}; retrying in ${(wait / 1000).toFixed(1)}s (${options.retry.retries - failed} retries left)`,
        );
        await options.clock.sleep(wait);
      }
    }
  }

  const endpointPath = (ns: string, name: string) =>
    `/endpoint/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;

  return {
    getEndpoint: (ns: string, name: string) => call<Endpoint>('GET', endpointPath(ns, name)),
    updateEndpoint: (ns: string, name: string, update: EndpointUpdate) =>
      call<Endpoint>('PUT', endpointPath(ns, name), update),
    createEndpoint: (ns: string, create: EndpointCreate) =>
      call<Endpoint>('POST', `/endpoint/${encodeURIComponent(ns)}`, create),
    // One probe of the running endpoint's health route: protected endpoints need the token too.
    async healthy(url: string, route: string): Promise<boolean> {
      if (!servesUnderApi(options.apiBase, url)) {
        throw new Error(
          `refusing to send the token to ${url}: an endpoint of ${options.apiBase} must serve under its domain`,
        );
      }
      const res = await fetch(`${url.replace(/\/$/, '')}${route}`, {
        headers: { authorization: `Bearer ${options.token}` },
        // A redirect could lead anywhere; a healthy endpoint answers 200 itself.
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).catch(() => undefined);
      return res?.status === 200;
    },
  };
}

export type EndpointsClient = ReturnType<typeof createEndpointsClient>;
