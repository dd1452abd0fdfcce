import type { SpeechWord } from '../../speech/index.ts';
import type { AudioClock } from './content/schedule';

/** Service worker -> content script. */
export type PageMessage =
  | { type: 'extract' }
  | { type: 'words'; chunk: number; words: SpeechWord[] }
  | { type: 'clock'; chunk: number; clock: AudioClock }
  | { type: 'finished' };

/** The content script's answer to `extract`: the chunks' texts, in reading order. */
export interface Extracted {
  chunks: string[];
}

/** Service worker -> offscreen document. */
export type AudioCommand =
  | { target: 'offscreen'; type: 'play'; chunk: number; mime: string; data: string }
  | { target: 'offscreen'; type: 'pause' | 'resume' | 'stop' };

/** Offscreen document -> service worker: it listens for orders now. */
export const PLAYER_READY = { type: 'player-ready' } as const;

/** Offscreen document -> service worker. */
export type AudioEvent =
  | { type: 'audio-clock'; chunk: number; clock: AudioClock }
  | { type: 'audio-ended'; chunk: number }
  | { type: 'audio-failed'; chunk: number; message: string };

/** Popup -> service worker. */
export type ControlMessage =
  | { type: 'read'; tabId: number }
  | { type: 'pause' | 'resume' | 'stop' }
  | { type: 'sign-in-code'; email: string }
  | { type: 'sign-in-verify'; email: string; code: string }
  | { type: 'sign-out' }
  | { type: 'account' };

/** What the popup shows; kept in `chrome.storage.session` under STATUS_KEY. */
export interface Status {
  state: 'idle' | 'loading' | 'playing' | 'paused';
  error?: {
    status: number;
    code: string;
    message: string;
    link?: { text: string; url: string };
  };
}
export const STATUS_KEY = 'status';

/** The listener's choices, in `chrome.storage.sync` under SETTINGS_KEY. */
export interface Settings {
  voice: string;
  speed: number;
}
export const SETTINGS_KEY = 'settings';
