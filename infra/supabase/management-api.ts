import type { SupabaseManagementAPI } from 'supabase-management-js';
import { redact } from '../redact';

/** Where a provider method talks to: one project through the Management API. */
export interface ApiTarget {
  projectRef: string;
  apiUrl: string;
  accessToken: string;
}

export interface CallOptions {
  /** Values that must never reach an error message (secret values being written). */
  redact?: string[];
  /** First retry delay; tests shorten it. */
  startingDelayMs?: number;
}

const retriable = (status: number | undefined) =>
  status === undefined || status === 429 || status >= 500;

/**
 * Calls one Management API endpoint, retrying 429, 5xx and network failures with backoff.
 * Dynamic providers are serialised by Pulumi, so modules are required inside the call.
 */
export async function callManagementApi<T>(
  target: ApiTarget,
  endpoint: string,
  call: (api: SupabaseManagementAPI) => Promise<T>,
  options: CallOptions = {},
): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SupabaseManagementAPI } = require('supabase-management-js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { backOff } = require('exponential-backoff');
  const api: SupabaseManagementAPI = new SupabaseManagementAPI({
    accessToken: target.accessToken,
    baseUrl: target.apiUrl,
  });
  try {
    return (await backOff(() => call(api), {
      numOfAttempts: 5,
      startingDelay: options.startingDelayMs ?? 500,
      timeMultiple: 2,
      maxDelay: 10_000,
      jitter: 'full',
      retry: (error: { status?: number }) => retriable(error.status),
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
