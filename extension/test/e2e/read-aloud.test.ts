import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../../../scripts/local-backend/users';
import { DEFAULT_VOICE, SPEED, type SpeechResponse } from '../../../speech/index.ts';
import { buildExtension } from '../../build/build';
import { wordIndexAt } from '../../src/content/schedule';
import {
  chooseVoice,
  highlights,
  launchWithExtension,
  readAloud,
  signIn,
  spoken,
  status,
  waitFor,
  type ExtensionBrowser,
  type HighlightRecord,
} from './browser';
import { servePages, type PageServer } from './pages';
import { startSpeechStack, type SpeechStack } from './speech-stack';

/** Screenshots kept for people to look at (git-ignored). */
const ARTIFACTS = resolve(__dirname, '../../test-artifacts');
/** Postgres, three Deno functions, the handler's model and Chromium on a busy 2-core machine. */
const START_TIMEOUT_MS = 180_000;
const READ_TIMEOUT_MS = 120_000;

/**
 * Checks what the listener saw: each highlight's text is the word the response timed at the
 * moment of the highlight, and the highlights advance in reading order.
 */
function expectHighlightsFollowSpeech(records: HighlightRecord[], speech: SpeechResponse[]) {
  expect(records.length).toBeGreaterThan(2);
  let previous: [number, number] = [-1, -1];
  for (const record of records) {
    const words = speech[record.chunk]!.words;
    const index = wordIndexAt(words, record.positionMs);
    expect(index, `a word is timed at ${record.positionMs} ms`).toBeGreaterThanOrEqual(0);
    expect(record.text).toBe(words[index]!.text);
    const at: [number, number] = [record.chunk, index];
    const advanced = at[0] > previous[0] || (at[0] === previous[0] && at[1] > previous[1]);
    expect(advanced, `highlight ${JSON.stringify(record)} after word ${previous}`).toBe(true);
    previous = at;
  }
}

describe('the built extension in Chromium against the local backend', () => {
  let stack: SpeechStack;
  let pages: PageServer;
  let browser: ExtensionBrowser;
  let buildDir: string;
  let userId: string;
  let page: Page;

  beforeAll(async () => {
    [stack, pages] = await Promise.all([startSpeechStack(), servePages()]);
    buildDir = await mkdtemp(join(tmpdir(), 'read-aloud-extension-'));
    await buildExtension(
      {
        stack: 'e2e',
        supabaseUrl: stack.backend.url,
        anonKey: 'local-anon-key',
        version: '0.0.1',
        siteUrl: 'https://read-aloud.test',
      },
      { outDir: buildDir, testHooks: true },
    );
    browser = await launchWithExtension(buildDir);
    if (process.env.E2E_DEBUG) {
      browser.worker.on('console', (m) => console.log('[worker]', m.text()));
      browser.context.on('console', (m) => console.log('[page]', m.text()));
    }
    userId = await createUser(stack.backend.sql, 'listener@example.com');
    // The fastest speed keeps each reading short; Chrome closes a headless offscreen player after 30 s.
    await chooseVoice(browser.worker, { voice: DEFAULT_VOICE, speed: SPEED.max });
    await mkdir(ARTIFACTS, { recursive: true });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.stop();
    await Promise.all([stack?.stop(), pages?.stop()]);
    if (buildDir) await rm(buildDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    stack.endpointDown = false;
    await signIn(browser.worker, await stack.backend.signToken(userId), userId);
    await stack.backend.sql`delete from public.error_reports`;
    await stack.backend.sql`delete from public.usage`;
    // Every test's speech comes from the handler, not from an earlier test's cache.
    await stack.backend.sql`delete from public.speech_answers`;
    await page?.close();
    page = await browser.context.newPage();
  });

  /** Reads the page and waits until reading is over; the highlights seen and the speech used. */
  async function readToTheEnd(
    whileReading?: () => Promise<unknown>,
  ): Promise<{ records: HighlightRecord[]; speech: SpeechResponse[] }> {
    const seen = async () =>
      JSON.stringify({
        status: await status(browser.worker),
        highlights: (await highlights(page)).length,
        chunksSpoken: (await spoken(browser.worker)).length,
      });
    await readAloud(browser.worker, page);
    await waitFor(
      'the first highlight',
      async () => ((await highlights(page)).length > 0 ? true : undefined),
      READ_TIMEOUT_MS,
      seen,
    );
    await whileReading?.();
    await waitFor(
      'the end of reading',
      async () => ((await status(browser.worker))?.state === 'idle' ? true : undefined),
      READ_TIMEOUT_MS,
      seen,
    );
    return { records: await highlights(page), speech: await spoken(browser.worker) };
  }

  it(
    'reads a selection, highlighting each word as it is spoken',
    async () => {
      await page.goto(pages.url('/article'));
      await page.evaluate(() => {
        const range = document.createRange();
        range.setStart(document.querySelector('#p2')!.firstChild!, 0);
        range.setEndAfter(document.querySelector('#p2 strong')!);
        document.getSelection()!.addRange(range);
      });
      const { records, speech } = await readToTheEnd();

      expect(speech.length).toBe(1);
      expect(speech[0]!.words.map((word) => word.text).join(' ')).toMatch(/^Nobody .* grain\.?$/);
      expectHighlightsFollowSpeech(records, speech);
      expect(records.map((record) => record.text)).not.toContain('river');
      expect((await status(browser.worker))?.error).toBeUndefined();
    },
    READ_TIMEOUT_MS * 2,
  );

  it(
    'reads the whole article, but not the navigation or hidden text',
    async () => {
      await page.goto(pages.url('/article'));
      const { records, speech } = await readToTheEnd(() =>
        page.screenshot({ path: join(ARTIFACTS, 'article-highlighted.png') }),
      );

      const read = speech.flatMap((chunk) => chunk.words.map((word) => word.text)).join(' ');
      // Readability keeps the headline as the article's title, apart from its text.
      expect(read).toMatch(/^The river ran quietly/);
      expect(read).toContain('kept its own slow time');
      expect(read).toMatch(/began again$/);
      // Long enough for two chunks: the second was requested while the first played.
      expect(speech.length).toBe(2);
      for (const unread of ['About', 'Cookie', 'secret', 'decor', 'hidden'])
        expect(read).not.toContain(unread);
      expectHighlightsFollowSpeech(records, speech);
    },
    READ_TIMEOUT_MS * 2,
  );

  it(
    'plays on a page whose Content Security Policy forbids media and blob:',
    async () => {
      await page.goto(pages.url('/strict'));
      const { records, speech } = await readToTheEnd();
      expectHighlightsFollowSpeech(records, speech);
    },
    READ_TIMEOUT_MS * 2,
  );

  /** Reads, expects the failure's message in the popup, and a report of it in log-error. */
  async function expectFailure(message: RegExp, code: string) {
    await page.goto(pages.url('/article'));
    await readAloud(browser.worker, page);
    const error = await waitFor(
      'the error status',
      async () => (await status(browser.worker))?.error,
    );
    expect(error.message).toMatch(message);

    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await expect.poll(() => popup.locator('#error').textContent()).toMatch(message);
    await popup.screenshot({ path: join(ARTIFACTS, `popup-${code}.png`) });
    await popup.close();

    const report = await waitFor('an error report', async () => {
      const [row] = await stack.backend.sql<{ message: string; page_url: string }[]>`
        select message, page_url from public.error_reports`;
      return row;
    });
    expect(report.message).toContain(code);
    expect(report.page_url).toBe(pages.url('/article'));
    expect(report.message).not.toMatch(/river|mill|eyJ/);
  }

  it(
    'asks to sign in when the API answers 401',
    async () => {
      const stranger = '00000000-0000-4000-8000-000000000001';
      await signIn(browser.worker, await stack.backend.signToken(stranger), stranger);
      await expectFailure(/sign in/i, 'unknown_user');
    },
    READ_TIMEOUT_MS * 2,
  );

  it(
    'says the quota is used up, and where to upgrade, when the API answers 402',
    async () => {
      // The free plan's whole month used up.
      await stack.backend.sql`
      insert into public.usage (user_id, month, characters, quota)
      values (${userId}, date_trunc('month', now())::date, 20000, 20000)`;
      await expectFailure(/used all of this month/i, 'quota_exhausted');
    },
    READ_TIMEOUT_MS * 2,
  );

  it(
    'asks to try again when the speech service fails (5xx)',
    async () => {
      stack.endpointDown = true;
      await expectFailure(/try again/i, 'upstream_failed');
    },
    READ_TIMEOUT_MS * 2,
  );
});
