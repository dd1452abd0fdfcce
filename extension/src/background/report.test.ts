import { describe, expect, it } from 'vitest';
import { createErrorReporter, pageOf, scrubMessage, type ErrorReport } from './report';

/** A reporter on a manual clock: timers run when `advance` passes them. */
function reporter(maxPerHour = 20) {
  const sent: (ErrorReport & { extensionVersion: string })[] = [];
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  const instance = createErrorReporter({
    extensionVersion: '1.2.3',
    debounceMs: 1000,
    maxPerHour,
    now: () => now,
    setTimer: (run, ms) => timers.push({ at: now + ms, run }),
    send: async (report) => {
      sent.push(report);
    },
  });
  const advance = async (ms: number) => {
    now += ms;
    const due = timers.filter((timer) => timer.at <= now);
    timers = timers.filter((timer) => timer.at > now);
    for (const timer of due) timer.run();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { instance, sent, advance };
}

describe('createErrorReporter', () => {
  it('sends a burst once, after it goes quiet, with identical reports merged', async () => {
    const { instance, sent, advance } = reporter();
    instance.report('tts 502 upstream_failed', 'https://news.example/a?q=secret#x');
    await advance(500);
    instance.report('tts 502 upstream_failed', 'https://news.example/a');
    instance.report('tts 401 unknown_user');
    await advance(500);
    expect(sent).toEqual([]);
    await advance(500);
    expect(sent).toEqual([
      {
        message: 'tts 502 upstream_failed',
        pageUrl: 'https://news.example/a',
        extensionVersion: '1.2.3',
      },
      { message: 'tts 401 unknown_user', pageUrl: undefined, extensionVersion: '1.2.3' },
    ]);
  });

  it('sends at most its hourly allowance', async () => {
    const { instance, sent, advance } = reporter(2);
    for (const n of [1, 2, 3]) {
      instance.report(`failure ${n}`);
      await advance(1000);
    }
    expect(sent.map((report) => report.message)).toEqual(['failure 1', 'failure 2']);
    await advance(3_600_000);
    instance.report('failure 4');
    await advance(1000);
    expect(sent.map((report) => report.message)).toEqual(['failure 1', 'failure 2', 'failure 4']);
  });
});

describe('scrubMessage and pageOf', () => {
  it('removes tokens and keys, and bounds the length', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(scrubMessage(`failed with ${jwt} and Bearer abc and apikey=xyz`)).toBe(
      'failed with [redacted] and [redacted] and [redacted]',
    );
    expect(scrubMessage('x'.repeat(1000))).toHaveLength(300);
  });

  it('keeps a page’s origin and path only, and nothing of other schemes', () => {
    expect(pageOf('https://news.example/story/1?user=me#comments')).toBe(
      'https://news.example/story/1',
    );
    expect(pageOf('file:///home/me/notes.html')).toBeUndefined();
    expect(pageOf('not a url')).toBeUndefined();
  });
});
