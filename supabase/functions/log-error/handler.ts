import type { VerifyCaller } from '../_shared/auth.ts';
import type { Sql } from '../_shared/db.ts';
import { sha256Hex } from '../_shared/hash.ts';
import { HttpError, json, readJsonObject, requirePost, withErrors } from '../_shared/http.ts';

export const MAX_REPORT_BYTES = 16 * 1024;
/** Reports one reporter may file per window, and all anonymous reporters together. */
export const RATE_LIMIT = { perReporter: 10, anonymousTotal: 300, windowSeconds: 60 } as const;
const LIMITS = { message: 1000, stack: 8000, pageUrl: 500, userAgent: 300 } as const;

export interface ErrorReport {
  message: string;
  stack: string | null;
  pageUrl: string | null;
  extensionVersion: string | null;
  userAgent: string | null;
}

export interface LogErrorDependencies {
  verifyCaller: VerifyCaller;
  sql: Sql;
}

/** POST /functions/v1/log-error: stores a bounded, sanitised report from the extension; 202. */
export function createLogErrorHandler({ verifyCaller, sql }: LogErrorDependencies) {
  return withErrors(async (req) => {
    requirePost(req);
    const report = sanitiseReport(await readJsonObject(req, MAX_REPORT_BYTES), req);
    // Errors often follow an expired session: a report without a valid token counts by address.
    const userId = await verifyCaller(req).then((caller) => caller.userId, () => undefined);
    const reporter = userId ? `user:${userId}` : `ip:${sha256Hex(clientAddress(req))}`;

    const stored = await sql.begin(async (tx) => {
      // One reporter's reports are counted and written one at a time, so bursts cannot slip past.
      await tx`select pg_advisory_xact_lock(hashtextextended(${reporter}, 0))`;
      const [counts] = await tx`
        select
          count(*) filter (where reporter = ${reporter})::int as mine,
          count(*) filter (where reporter like 'ip:%')::int as anonymous
        from public.error_reports
        where created_at > now() - make_interval(secs => ${RATE_LIMIT.windowSeconds})`;
      if (counts!.mine >= RATE_LIMIT.perReporter) return false;
      if (!userId && counts!.anonymous >= RATE_LIMIT.anonymousTotal) return false;
      const user = userId ?? null;
      await tx`
        insert into public.error_reports
          (user_id, reporter, message, stack, page_url, extension_version, user_agent)
        values (
          (select id from public.profiles where id = ${user}), ${reporter}, ${report.message},
          ${report.stack}, ${report.pageUrl}, ${report.extensionVersion}, ${report.userAgent}
        )`;
      return true;
    });
    if (!stored) {
      throw new HttpError(429, 'rate_limited', 'too many error reports; try again in a minute', {
        'retry-after': String(RATE_LIMIT.windowSeconds),
      });
    }
    return json(202, { accepted: true });
  });
}

/** Keeps only known fields, cut to size, with credentials and personal data removed. */
export function sanitiseReport(body: Record<string, unknown>, req: Request): ErrorReport {
  const message = typeof body.message === 'string' ? clean(body.message, LIMITS.message) : '';
  if (message === '') {
    throw new HttpError(400, 'missing_message', '`message` must be a non-empty string');
  }
  const version = body.extensionVersion;
  return {
    message,
    stack: typeof body.stack === 'string' ? clean(body.stack, LIMITS.stack) : null,
    pageUrl: typeof body.pageUrl === 'string' ? pageOrigin(body.pageUrl) : null,
    extensionVersion: typeof version === 'string' && /^[0-9A-Za-z.+-]{1,32}$/.test(version)
      ? version
      : null,
    userAgent: clean(req.headers.get('user-agent') ?? '', LIMITS.userAgent) || null,
  };
}

const REDACTIONS: [RegExp, string][] = [
  [/(https?:\/\/[^\s?#]+)[?#]\S*/g, '$1'],
  [/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '[token]'],
  // Hugging Face tokens, Stripe secret and restricted keys, Stripe webhook secrets.
  [/(?<![A-Za-z0-9])(?:hf|sk_live|sk_test|rk_live|rk_test|whsec)_[A-Za-z0-9]{8,}/g, '[token]'],
  // AWS access key ids (long-lived and temporary).
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, '[token]'],
  [/\b(authorization\s*[:=]\s*basic)\s+\S+/gi, '$1 [redacted]'],
  [/\b(bearer)\s+\S+/gi, '$1 [redacted]'],
  [/\b(token|key|secret|password)(\s*[:=]\s*)\S+/gi, '$1$2[redacted]'],
  [/[\w.+-]+@[\w-]+\.[\w.-]+/g, '[email]'],
];

function clean(text: string, limit: number): string {
  // deno-lint-ignore no-control-regex
  let result = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  for (const [pattern, replacement] of REDACTIONS) result = result.replace(pattern, replacement);
  return result.trim().slice(0, limit);
}

/** Query strings and fragments carry tokens and search terms: keep the page's origin and path only. */
function pageOrigin(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!['http:', 'https:', 'chrome-extension:'].includes(parsed.protocol)) return null;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.slice(0, LIMITS.pageUrl);
  } catch {
    return null;
  }
}

/**
 * The address of whoever connected to the platform's gateway: the LAST X-Forwarded-For entry,
 * which that gateway (the hop in front of the function) appends. Earlier entries are whatever the
 * caller sent, so a client could rotate them to dodge the limit.
 */
export function clientAddress(req: Request): string {
  return req.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() || 'unknown';
}
