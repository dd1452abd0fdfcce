import type { SpeechRequest } from '../synthesis';
import { splitWords } from '../text/words';

export const SPEED_MIN = 0.5;
export const SPEED_MAX = 2;

export class RequestError extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestLimits {
  maxTextChars: number;
  defaultVoice: string;
  voices: ReadonlySet<string>;
}

// Checks a parsed body against the API contract {text, voice?, speed?}.
export function parseSpeechRequest(body: unknown, limits: RequestLimits): SpeechRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestError(
      400,
      'invalid_body',
      'body must be a JSON object {text, voice?, speed?}',
    );
  }
  const { text, voice = limits.defaultVoice, speed = 1 } = body as Record<string, unknown>;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new RequestError(400, 'empty_text', 'text must be a non-empty string');
  }
  if (text.length > limits.maxTextChars) {
    throw new RequestError(
      413,
      'text_too_long',
      `text has ${text.length} characters; the limit is ${limits.maxTextChars}`,
    );
  }
  if (splitWords(text).length === 0) {
    throw new RequestError(400, 'no_words', 'text has no words to speak');
  }
  if (typeof voice !== 'string' || !limits.voices.has(voice)) {
    throw new RequestError(
      400,
      'unknown_voice',
      `unknown voice; known voices: ${[...limits.voices].sort().join(', ')}`,
    );
  }
  if (typeof speed !== 'number' || !(speed >= SPEED_MIN && speed <= SPEED_MAX)) {
    throw new RequestError(
      400,
      'invalid_speed',
      `speed must be a number from ${SPEED_MIN} to ${SPEED_MAX}`,
    );
  }
  return { text, voice, speed };
}
