export interface ErrorReport {
  message: string;
  /** Only the page's origin and path are kept. */
  pageUrl?: string;
}

export interface ErrorReporterOptions {
  /** Sends one report to `log-error`; its failure is swallowed (reporting must never fail reading). */
  send(report: ErrorReport & { extensionVersion: string }): Promise<void>;
  extensionVersion: string;
  /** Reports are sent after this much quiet, identical ones once. */
  debounceMs?: number;
  /** At most this many reports per hour from this extension instance. */
  maxPerHour?: number;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
}

const MAX_MESSAGE = 300;
const SECRETS: RegExp[] = [
  /eyJ[\w-]*\.[\w-]*\.[\w-]*/g,
  /\b(bearer)\s+\S+/gi,
  /\b(token|key|secret|password|apikey)(\s*[:=]\s*)\S+/gi,
];

/** Keeps only what tells what failed: no tokens, no query strings, bounded. */
export function scrubMessage(message: string): string {
  let clean = message;
  for (const secret of SECRETS) clean = clean.replace(secret, '[redacted]');
  return clean.slice(0, MAX_MESSAGE);
}

/** The origin and path of a page, never its query, fragment or text. */
export function pageOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol, host, pathname } = new URL(url);
    return protocol === 'http:' || protocol === 'https:'
      ? `${protocol}//${host}${pathname}`
      : undefined;
  } catch {
    return undefined;
  }
}

/** Collects error reports and sends them debounced, deduplicated and capped per hour. */
export function createErrorReporter({
  send,
  extensionVersion,
  debounceMs = 2000,
  maxPerHour = 20,
  now = Date.now,
  setTimer = (run, ms) => setTimeout(run, ms),
}: ErrorReporterOptions) {
  const queued = new Map<string, ErrorReport>();
  const sentAt: number[] = [];
  let generation = 0;

  const flush = async () => {
    const reports = [...queued.values()];
    queued.clear();
    for (const report of reports) {
      while (sentAt.length > 0 && now() - sentAt[0]! > 3_600_000) sentAt.shift();
      if (sentAt.length >= maxPerHour) return;
      sentAt.push(now());
      await send({ ...report, extensionVersion }).catch(() => undefined);
    }
  };

  return {
    report(message: string, pageUrl?: string): void {
      const clean = scrubMessage(message);
      queued.set(clean, { message: clean, pageUrl: pageOf(pageUrl) });
      const mine = ++generation;
      setTimer(() => {
        if (mine === generation) void flush();
      }, debounceMs);
    },
  };
}
