import { sha256Hex } from './hash.ts';
import { HttpError } from './http.ts';

/** Part of every cache key: a new model must not serve the old model's audio. */
export const MODEL_VERSION = 'kokoro-82m-v1.0';
export const MAX_TEXT_CHARS = 5000;
export const VOICES = [
  'af_heart',
  'af_bella',
  'af_nicole',
  'af_sarah',
  'am_adam',
  'am_michael',
  'bf_emma',
  'bf_isabella',
  'bm_george',
  'bm_lewis',
] as const;
export const SPEED = { min: 0.5, max: 2, default: 1 } as const;

export interface SpeechRequest {
  text: string;
  voice: string;
  speed: number;
}

export interface Word {
  text: string;
  start: number;
  end: number;
  charStart: number;
  charEnd: number;
}

/** The response contract of DESIGN.md: audio, and each word's time (ms) and place in the text. */
export interface Speech {
  audio: { mime: string; data: string };
  words: Word[];
  durationMs: number;
}

/** Validates a caller's `{text, voice?, speed?}`, with a message that says what to fix. */
export function parseSpeechRequest(body: Record<string, unknown>): SpeechRequest {
  const { text, voice = VOICES[0], speed = SPEED.default } = body;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new HttpError(400, 'empty_text', '`text` must be a non-empty string');
  }
  // Checked before any charge: Postgres cannot store either in the cached words, and the offsets
  // into `text` must stay the caller's, so such text is refused rather than rewritten.
  if (text.includes('\u0000')) {
    throw new HttpError(400, 'invalid_text', '`text` must not contain NUL characters');
  }
  if (!text.isWellFormed()) {
    throw new HttpError(
      400,
      'invalid_text',
      '`text` must be well-formed Unicode: it has an unpaired surrogate',
    );
  }
  if (!/[^\p{White_Space}\p{Cc}\p{Cf}]/u.test(text)) {
    throw new HttpError(
      400,
      'empty_text',
      '`text` has nothing to read: only spaces and invisible characters',
    );
  }
  if (text.length > MAX_TEXT_CHARS) {
    throw new HttpError(
      413,
      'text_too_long',
      `\`text\` is longer than ${MAX_TEXT_CHARS} characters`,
    );
  }
  if (typeof voice !== 'string' || !(VOICES as readonly string[]).includes(voice)) {
    throw new HttpError(400, 'unknown_voice', `\`voice\` must be one of ${VOICES.join(', ')}`);
  }
  if (typeof speed !== 'number' || !(speed >= SPEED.min && speed <= SPEED.max)) {
    throw new HttpError(
      400,
      'invalid_speed',
      `\`speed\` must be a number from ${SPEED.min} to ${SPEED.max}`,
    );
  }
  return { text, voice, speed };
}

/** Hex SHA-256 of what determines the audio: text, voice, speed and model version. */
export function cacheKey(request: SpeechRequest): string {
  return sha256Hex(
    JSON.stringify([MODEL_VERSION, request.voice, request.speed, request.text]),
  );
}

/**
 * Checks that a body is speech for `text` as the contract defines it; returns the problem, or
 * undefined. The endpoint's output is cached and served for months, so it is checked first.
 */
export function speechProblem(text: string, body: unknown): string | undefined {
  const speech = body as Partial<Speech> | null;
  if (typeof speech?.audio?.mime !== 'string' || !speech.audio.mime.startsWith('audio/')) {
    return 'audio.mime is not an audio type';
  }
  if (typeof speech.audio.data !== 'string' || speech.audio.data === '') {
    return 'audio.data is empty';
  }
  if (typeof speech.durationMs !== 'number' || !(speech.durationMs > 0)) {
    return 'durationMs is not positive';
  }
  if (!Array.isArray(speech.words)) return 'words is not a list';
  let previous: Word | undefined;
  for (const [index, word] of speech.words.entries()) {
    const { start, end, charStart, charEnd } = word ?? {};
    if (![start, end, charStart, charEnd].every(Number.isFinite)) {
      return 'a word lacks its times or offsets';
    }
    if (start < 0 || start > end || end > speech.durationMs) {
      return `word ${index} is outside the audio`;
    }
    if (previous && (start < previous.start || charStart < previous.charEnd)) {
      return 'words are not in order';
    }
    if (text.slice(charStart, charEnd) !== word.text) {
      return `word ${index} does not match its offsets`;
    }
    previous = word;
  }
  return undefined;
}
