import {
  DEFAULT_VOICE,
  MAX_TEXT_CHARS,
  SPEED,
  VOICES,
  type SpeechRequest,
  type SpeechResponse,
} from './contract.ts';

/** What a server accepts; each stack may set its own, so they default to the contract's. */
export interface SpeechLimits {
  voices?: Iterable<string>;
  defaultVoice?: string;
  maxTextChars?: number;
}

/** A valid request, or the status, code and message that say what to fix. */
export type RequestCheck =
  | { ok: true; request: SpeechRequest }
  | { ok: false; status: 400 | 413; code: string; message: string };

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const reject = (status: 400 | 413, code: string, message: string): RequestCheck => ({
  ok: false,
  status,
  code,
  message,
});

/** Checks a parsed body `{text, voice?, speed?}` against the contract, filling in the defaults. */
export function checkSpeechRequest(
  body: unknown,
  {
    voices: offered = VOICES,
    defaultVoice = DEFAULT_VOICE,
    maxTextChars = MAX_TEXT_CHARS,
  }: SpeechLimits = {},
): RequestCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return reject(400, 'invalid_body', 'the request body must be a JSON object');
  }
  const voices = [...offered];
  const { text, voice = defaultVoice, speed = SPEED.default } = body as Record<string, unknown>;
  if (typeof text !== 'string' || text.trim() === '') {
    return reject(400, 'empty_text', '`text` must be a non-empty string');
  }
  // Refused, not rewritten, so the offsets in the answer stay offsets into the caller's text; NUL
  // and unpaired surrogates cannot be stored in Postgres text either.
  if (text.includes('\u0000')) {
    return reject(400, 'invalid_text', '`text` must not contain NUL characters');
  }
  if (UNPAIRED_SURROGATE.test(text)) {
    return reject(
      400,
      'invalid_text',
      '`text` must be well-formed Unicode: it has an unpaired surrogate',
    );
  }
  if (!/[^\p{White_Space}\p{Cc}\p{Cf}]/u.test(text)) {
    return reject(
      400,
      'empty_text',
      '`text` has nothing to read: only spaces and invisible characters',
    );
  }
  if (text.length > maxTextChars) {
    return reject(
      413,
      'text_too_long',
      `\`text\` has ${text.length} characters; the limit is ${maxTextChars}`,
    );
  }
  if (typeof voice !== 'string' || !voices.includes(voice)) {
    return reject(400, 'unknown_voice', `\`voice\` must be one of ${voices.join(', ')}`);
  }
  if (typeof speed !== 'number' || !(speed >= SPEED.min && speed <= SPEED.max)) {
    return reject(
      400,
      'invalid_speed',
      `\`speed\` must be a number from ${SPEED.min} to ${SPEED.max}`,
    );
  }
  return { ok: true, request: { text, voice, speed } };
}

/**
 * Checks that a body is speech for `text` as the contract defines it; returns the problem, or
 * undefined.
 */
export function speechProblem(text: string, body: unknown): string | undefined {
  const speech = body as Partial<SpeechResponse> | null;
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
  let previous: SpeechResponse['words'][number] | undefined;
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
