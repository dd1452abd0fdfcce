import { backOff } from 'exponential-backoff';

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

// The fields of the endpoint JSON the rollout reads; the API returns more.
export interface Endpoint {
  name: string;
  model: { image: EndpointImage; env?: Record<string, string> };
  status: { state: EndpointState; message?: string; url?: string };
}

export interface EndpointUpdate {
  model: {
    image: EndpointImage;
    env?: Record<string, string>;
    secrets?: Record<string, string>;
  };
}

export interface RetryPolicy {
  retries: number;
  startingDelayMs: number;
}

export class HfApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
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

// A request that hangs counts as failed (and is retried) rather than stalling the rollout.
const REQUEST_TIMEOUT_MS = 30_000;

// No answer (status 0), 429 and 5xx are worth another try; any other 4xx will not change.
const transient = (error: unknown) =>
  error instanceof HfApiError &&
  (error.status === 0 || error.status === 429 || error.status >= 500);

export function createEndpointsClient(options: {
  apiBase: string;
  token: string;
  retry: RetryPolicy;
  log: (line: string) => void;
}) {
  const redact = (text: string) => text.split(options.token).join('***');

  async function call<T>(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<T> {
    const attempts = options.retry.retries + 1;
    return backOff(
      async () => {
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
            redact(
              `${method} ${path} got no answer: ${error instanceof Error ? error.message : String(error)}`,
            ),
          );
        });
        if (res.ok) return (await res.json()) as T;
        throw new HfApiError(
          res.status,
          redact(`${method} ${path} answered ${res.status}: ${await errorText(res)}`),
        );
      },
      {
        numOfAttempts: attempts,
        startingDelay: options.retry.startingDelayMs,
        timeMultiple: 2,
        maxDelay: 30_000,
        jitter: 'full',
        retry: (error: unknown, failed: number) => {
          const again = transient(error) && failed < attempts;
          if (again)
            options.log(`${(error as HfApiError).message} (${attempts - failed} retries left)`);
          return again;
        },
      },
    );
  }

  return {
    getEndpoint: (ns: string, name: string) =>
      call<Endpoint>('GET', `/endpoint/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`),
    updateEndpoint: (ns: string, name: string, update: EndpointUpdate) =>
      call<Endpoint>(
        'PUT',
        `/endpoint/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`,
        update,
      ),
    // One probe of the running endpoint's health route: protected endpoints need the token too.
    async healthy(url: string, route: string): Promise<boolean> {
      const res = await fetch(`${url.replace(/\/$/, '')}${route}`, {
        headers: { authorization: `Bearer ${options.token}` },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).catch(() => undefined);
      return res?.status === 200;
    },
  };
}

export type EndpointsClient = ReturnType<typeof createEndpointsClient>;
