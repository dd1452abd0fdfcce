import { DEFAULT_VOICE, SPEED, type SpeechResponse } from '../../../speech/index.ts';
import { createAuth } from '../auth/client';
import { config } from '../config';
import {
  PLAYER_READY,
  SETTINGS_KEY,
  STATUS_KEY,
  type AudioCommand,
  type AudioEvent,
  type ControlMessage,
  type Extracted,
  type PageMessage,
  type Settings,
  type Status,
} from '../messages';
import { createSpeechApi } from './api';
import { ApiError, userMessage } from './errors';
import { createErrorReporter } from './report';
import { ReadingSession, type AudioOrder } from './session';

const auth = createAuth(config.apiBase, config.anonKey, chrome.storage.local);
const speak = createSpeechApi({
  apiBase: config.apiBase,
  anonKey: config.anonKey,
  accessToken: () => auth.accessToken().catch(() => undefined),
});
const reporter = createErrorReporter({
  extensionVersion: config.version,
  async send(report) {
    const token = await auth.accessToken().catch(() => undefined);
    await fetch(`${config.apiBase}/functions/v1/log-error`, {
      method: 'POST',
      headers: {
        apikey: config.anonKey,
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(report),
    });
  },
});
/** Test builds keep each chunk's speech, and the player's clock reports, for the tests and the bench. */
const spoken: SpeechResponse[] = [];
const clocks: Extract<AudioEvent, { type: 'audio-clock' }>[] = [];

let session: { tabId: number; reading: ReadingSession; pageUrl?: string } | undefined;

async function settings(): Promise<Settings> {
  const stored = (await chrome.storage.sync.get(SETTINGS_KEY))[SETTINGS_KEY] as
    Partial<Settings> | undefined;
  return { voice: stored?.voice ?? DEFAULT_VOICE, speed: stored?.speed ?? SPEED.default };
}

async function setStatus(status: Status): Promise<void> {
  await chrome.storage.session.set({ [STATUS_KEY]: status });
  await chrome.action.setBadgeText({ text: status.error ? '!' : '' });
}

function failed(error: unknown, pageUrl?: string): void {
  const { message, link } = userMessage(error, config.siteUrl);
  const status = error instanceof ApiError ? error.status : 0;
  const code = error instanceof ApiError ? error.code : 'internal';
  void setStatus({ state: 'idle', error: { status, code, message, ...(link ? { link } : {}) } });
  // Only the status, code and what failed: never the page's text, nor a token.
  const what =
    error instanceof ApiError
      ? `tts ${status} ${code}`
      : `${(error as Error)?.name}: ${(error as Error)?.message}`;
  reporter.report(`read-aloud failed: ${what}`, pageUrl);
}

const OFFSCREEN_URL = chrome.runtime.getURL('offscreen.html');

async function offscreenOpen(): Promise<boolean> {
  const existing = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [OFFSCREEN_URL],
  });
  return existing.length > 0;
}

/** How long a new player may take to start listening. */
const PLAYER_START_MS = 15_000;

/** Resolves when a new offscreen player says it listens: createDocument resolves before that. */
function playerReady(): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = (message: unknown) => {
      if ((message as { type?: string })?.type !== PLAYER_READY.type) return;
      clearTimeout(timer);
      chrome.runtime.onMessage.removeListener(listener);
      resolve();
    };
    const timer = setTimeout(() => {
      chrome.runtime.onMessage.removeListener(listener);
      reject(new Error('the audio player did not start'));
    }, PLAYER_START_MS);
    chrome.runtime.onMessage.addListener(listener);
  });
}

async function ensureOffscreen(): Promise<void> {
  if (await offscreenOpen()) return;
  await Promise.all([
    playerReady(),
    chrome.offscreen.createDocument({
      url: OFFSCREEN_URL,
      reasons: [chrome.offscreen.Reason.AUDIO_PLAYBACK],
      justification:
        'Plays the speech outside the page, where its Content Security Policy cannot block it',
    }),
  ]);
}

/** Orders for the player, one at a time, so that a play is not overtaken by the stop after it. */
let audioQueue = Promise.resolve();

/**
 * Sends an order to the offscreen player, opening it for a play (Chrome closes an idle one) and
 * closing it once reading is over; a failure becomes the reading's failure.
 */
function toPlayer(order: AudioOrder, reading: ReadingSession): void {
  audioQueue = audioQueue.then(async () => {
    try {
      if (order.type === 'play') await ensureOffscreen();
      else if (!(await offscreenOpen())) return;
      await chrome.runtime.sendMessage({ target: 'offscreen', ...order } as AudioCommand);
      if (order.type === 'stop') await chrome.offscreen.closeDocument();
    } catch (error) {
      const chunk = order.type === 'play' ? order.chunk : -1;
      reading.onAudio({ type: 'audio-failed', chunk, message: String(error) });
    }
  });
}

/** Reads the tab's selection, or its article when nothing is selected. */
async function startReading(tabId: number): Promise<void> {
  session?.reading.stop();
  session = undefined;
  const tab = await chrome.tabs.get(tabId);
  try {
    await chrome.scripting.insertCSS({ target: { tabId }, files: ['content.css'] });
    await chrome.scripting.executeScript({ target: { tabId }, files: ['content.js'] });
    const extracted = (await chrome.tabs.sendMessage(tabId, {
      type: 'extract',
    } satisfies PageMessage)) as Extracted;
    if (extracted.chunks.length === 0) {
      throw new ApiError(0, 'nothing_to_read', 'the page has no text to read');
    }
    const { voice, speed } = await settings();
    const reading = new ReadingSession(extracted.chunks, {
      speak: async (text) => {
        const speech = await speak({ text, voice, speed });
        if (config.testHooks) spoken.push(speech);
        return speech;
      },
      audio: (order) => toPlayer(order, reading),
      page: (message) => void chrome.tabs.sendMessage(tabId, message).catch(() => undefined),
      status: (state) => {
        void setStatus({ state });
        // The player is not needed between readings.
        if (state === 'idle') toPlayer({ type: 'stop' }, reading);
      },
      failed: (error) => failed(error, tab.url),
    });
    session = { tabId, reading, pageUrl: tab.url };
    reading.start();
  } catch (error) {
    failed(error, tab.url);
  }
}

async function control(message: ControlMessage): Promise<unknown> {
  switch (message.type) {
    case 'read':
      return startReading(message.tabId);
    case 'pause':
      return session?.reading.pause();
    case 'resume':
      return session?.reading.resume();
    case 'stop':
      return session?.reading.stop();
    case 'sign-in-code':
      return auth.sendCode(message.email);
    case 'sign-in-verify':
      return auth.verifyCode(message.email, message.code);
    case 'sign-out':
      return auth.signOut();
    case 'account':
      return { email: await auth.email().catch(() => undefined) };
  }
}

chrome.runtime.onMessage.addListener(
  (message: ControlMessage | AudioEvent | typeof PLAYER_READY, sender, respond) => {
    if (sender.id !== chrome.runtime.id || message.type === PLAYER_READY.type) return false;
    if (message.type.startsWith('audio-')) {
      if (config.testHooks && message.type === 'audio-clock') clocks.push(message);
      session?.reading.onAudio(message as AudioEvent);
      return false;
    }
    control(message as ControlMessage).then(
      (result) => respond({ ok: true, result }),
      (error: unknown) =>
        respond({ ok: false, message: (error as Error)?.message ?? String(error) }),
    );
    return true;
  },
);

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({
    id: 'read-aloud',
    title: 'Read aloud',
    contexts: ['selection', 'page'],
  });
});

chrome.contextMenus.onClicked.addListener((_info, tab) => {
  if (tab?.id !== undefined) void startReading(tab.id);
});

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === 'read-aloud' && tab?.id !== undefined) void startReading(tab.id);
});

if (config.testHooks) {
  Object.assign(globalThis, { readAloudTest: { startReading, spoken, clocks } });
}
