import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import type { SpeechResponse } from '../../../speech/index.ts';
import type { AudioClock } from '../../src/content/schedule';
import type { Settings, Status } from '../../src/messages';

/** Debian's Chromium (scripts/setup.sh installs it), or CHROMIUM_PATH where there is none. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  stop(): Promise<void>;
}

/** Headless Chromium with only the built extension loaded, offline, audio allowed without a gesture. */
export async function launchWithExtension(extensionDir: string): Promise<ExtensionBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'read-aloud-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return {
    context,
    worker,
    extensionId: new URL(worker.url()).host,
    stop: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Chooses voice and speed as the popup does. */
export async function chooseVoice(worker: Worker, settings: Settings): Promise<void> {
  await worker.evaluate((value) => chrome.storage.sync.set({ settings: value }), settings);
}

/** Stores a Supabase session as the extension's sign-in would. */
export async function signIn(worker: Worker, accessToken: string, userId: string): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const session = {
    access_token: accessToken,
    refresh_token: 'not-used-before-expiry',
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: now + 3600,
    user: {
      id: userId,
      aud: 'authenticated',
      role: 'authenticated',
      email: 'listener@example.com',
      app_metadata: {},
      user_metadata: {},
      created_at: new Date().toISOString(),
    },
  };
  await worker.evaluate(
    (value) => chrome.storage.local.set({ 'read-aloud-session': value }),
    JSON.stringify(session),
  );
}

interface TestHooks {
  startReading(tabId: number): Promise<void>;
  spoken: SpeechResponse[];
  clocks: { chunk: number; clock: AudioClock }[];
}

/** Starts reading in the page's tab, as the context menu, the shortcut or the popup do. */
export async function readAloud(worker: Worker, page: Page): Promise<void> {
  await page.bringToFront();
  const url = page.url();
  await worker.evaluate(async (pageUrl) => {
    const [tab] = await chrome.tabs.query({ url: pageUrl });
    const hooks = (globalThis as unknown as { readAloudTest: TestHooks }).readAloudTest;
    hooks.spoken.length = 0;
    hooks.clocks.length = 0;
    await hooks.startReading(tab!.id!);
  }, url);
}

export const status = (worker: Worker) =>
  worker.evaluate(
    async () => (await chrome.storage.session.get('status')).status as Status | undefined,
  );

/** When the player's first sample sounded (Date.now() ms), from its first report while playing. */
export const firstSoundAt = (worker: Worker) =>
  worker.evaluate(() => {
    const { clocks } = (globalThis as unknown as { readAloudTest: TestHooks }).readAloudTest;
    const first = clocks.find(({ clock }) => clock.playing);
    return first ? first.clock.at - first.clock.positionMs : undefined;
  });

export const spoken = (worker: Worker) =>
  worker.evaluate(
    () => (globalThis as unknown as { readAloudTest: TestHooks }).readAloudTest.spoken,
  );

/** One highlight, as the test build's content script records it. */
export interface HighlightRecord {
  chunk: number;
  positionMs: number;
  text: string;
}

export async function highlights(page: Page): Promise<HighlightRecord[]> {
  return JSON.parse(
    (await page.evaluate(() => document.documentElement.dataset.readAloudLog)) ?? '[]',
  );
}

/** Polls until `check` returns a value, or fails with what it last saw. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 90_000,
  describe: () => Promise<string> = async () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
