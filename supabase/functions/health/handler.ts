import type { Sql } from '../_shared/db.ts';
import { HttpError, json, withErrors } from '../_shared/http.ts';

/** One dependency's answer: reachable or not, how long it took, and why not (never a secret). */
export interface CheckResult {
  ok: boolean;
  ms: number;
  detail?: string;
}

/** Resolves when the dependency answers, throws an Error whose message says why it did not. */
export type Probe = () => Promise<void>;

export interface HealthDependencies {
  probeDatabase: Probe;
  probeSpeechEndpoint: Probe;
  /** How long one answer is reused, so a flood of calls costs one probe of each per window. */
  cacheMs?: number;
  now?: () => number;
}

export interface HealthReport {
  status: 'ok' | 'failing';
  checks: { database: CheckResult; speechEndpoint: CheckResult };
  checkedAt: string;
}

/** Each probe gets this long; a monitor polling every few minutes wants an answer, not a hang. */
export const PROBE_TIMEOUT_MS = 3_000;

/**
 * GET /functions/v1/health: whether the database and the speech endpoint answer. 200 when both
 * do, 503 when either does not; the body says which. It reads no user data and synthesises
 * nothing, so calling it often costs a `select 1` and one health-route request per cache window.
 */
export function createHealthHandler(
  { probeDatabase, probeSpeechEndpoint, cacheMs = 10_000, now = Date.now }: HealthDependencies,
) {
  let cached: { report: HealthReport; until: number } | undefined;
  let running: Promise<HealthReport> | undefined;

  const check = async (): Promise<HealthReport> => {
    const [database, speechEndpoint] = await Promise.all([
      timed(probeDatabase, now),
      timed(probeSpeechEndpoint, now),
    ]);
    return {
      status: database.ok && speechEndpoint.ok ? 'ok' : 'failing',
      checks: { database, speechEndpoint },
      checkedAt: new Date(now()).toISOString(),
    };
  };

  return withErrors(async (req) => {
    if (req.method !== 'GET') {
      throw new HttpError(405, 'method_not_allowed', 'use GET', { allow: 'GET' });
    }
    if (!cached || now() >= cached.until) {
      // Calls that arrive while a check runs share it instead of starting their own.
      running ??= check().finally(() => (running = undefined));
      const report = await running;
      cached = { report, until: now() + cacheMs };
    }
    const { report } = cached;
    return json(report.status === 'ok' ? 200 : 503, report, { 'cache-control': 'no-store' });
  });
}

async function timed(probe: Probe, now: () => number): Promise<CheckResult> {
  const started = now();
  try {
    await probe();
    return { ok: true, ms: now() - started };
  } catch (error) {
    return { ok: false, ms: now() - started, detail: (error as Error).message };
  }
}

/** `select 1`, given up after `timeoutMs`; the error says only whether it timed out or failed. */
export function databaseProbe(sql: Sql, timeoutMs = PROBE_TIMEOUT_MS): Probe {
  return async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
    });
    try {
      await Promise.race([sql`select 1`, timeout]);
    } catch (error) {
      // Driver messages can carry the host and user of the connection string: say less.
      throw new Error((error as Error).message === 'timed out' ? 'timed out' : 'unreachable');
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * GET on the endpoint's health route (the one the rollout waits on), with the token the endpoint
 * requires. A 2xx is healthy; a paused, scaled-to-zero or loading endpoint answers otherwise.
 */
export function speechEndpointProbe(
  { url, token, timeoutMs = PROBE_TIMEOUT_MS }: { url: string; token: string; timeoutMs?: number },
): Probe {
  const healthUrl = new URL('health', url.endsWith('/') ? url : `${url}/`);
  return async () => {
    let response: Response;
    try {
      response = await fetch(healthUrl, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new Error((error as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable');
    }
    await response.body?.cancel();
    if (!response.ok) throw new Error(`status ${response.status}`);
  };
}
