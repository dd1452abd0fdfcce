/** The speech API's types, voices, limits and error codes. */
/** Part of every cache key: a new model must not serve the old model's audio. */
export const MODEL_VERSION = 'kokoro-82m-v1.0';
/** The longest `text` one request may carry. */
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
export type Voice = (typeof VOICES)[number];
export const DEFAULT_VOICE: Voice = VOICES[0];
export const SPEED = { min: 0.5, max: 2, default: 1 } as const;

/** The body of `POST /functions/v1/tts`; `voice` and `speed` default to the values above. */
export interface SpeechRequest {
  text: string;
  voice: string;
  speed: number;
}

/** One spoken word: times in ms from the audio's start, offsets into the request's `text`. */
export interface SpeechWord {
  text: string;
  start: number;
  end: number;
  charStart: number;
  charEnd: number;
}

/** The answer of `POST /functions/v1/tts`. */
export interface SpeechResponse {
  audio: { mime: string; data: string };
  words: SpeechWord[];
  durationMs: number;
}

/** Every error code the speech API answers with, by the status it comes with. */
export const ERROR_CODES = {
  invalid_body: 400,
  invalid_json: 400,
  empty_text: 400,
  invalid_text: 400,
  no_words: 400,
  unknown_voice: 400,
  invalid_speed: 400,
  invalid_token: 401,
  unknown_user: 401,
  quota_exhausted: 402,
  method_not_allowed: 405,
  text_too_long: 413,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  upstream_failed: 502,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every error body of the API: `{error: {code, message}}`. */
export interface ErrorBody {
  error: { code: string; message: string };
}
