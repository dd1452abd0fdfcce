import { sha256Hex } from '../_shared/hash.ts';
import { HttpError } from '../_shared/http.ts';
import {
  checkSpeechRequest,
  MODEL_VERSION,
  type SpeechLimits,
  type SpeechRequest,
  VOICES,
} from '../../../speech/index.ts';

export {
  DEFAULT_VOICE,
  MAX_TEXT_CHARS,
  MODEL_VERSION,
  speechProblem,
  VOICES,
} from '../../../speech/index.ts';
export type {
  SpeechLimits,
  SpeechRequest,
  SpeechResponse as Speech,
  SpeechWord as Word,
} from '../../../speech/index.ts';

/** The stack's limits, as its function secrets give them; a wrong one fails the start, named. */
export function speechLimits(
  env: { MAX_TEXT_CHARS: string; DEFAULT_VOICE: string },
): Required<Pick<SpeechLimits, 'maxTextChars' | 'defaultVoice'>> {
  const maxTextChars = Number(env.MAX_TEXT_CHARS);
  if (!Number.isInteger(maxTextChars) || maxTextChars < 1) {
    throw new Error(
      `MAX_TEXT_CHARS must be an integer >= 1, got ${JSON.stringify(env.MAX_TEXT_CHARS)}`,
    );
  }
  if (!(VOICES as readonly string[]).includes(env.DEFAULT_VOICE)) {
    throw new Error(`DEFAULT_VOICE must be one of ${VOICES.join(', ')}`);
  }
  return { maxTextChars, defaultVoice: env.DEFAULT_VOICE };
}

/** Validates a caller's `{text, voice?, speed?}`; a refusal is an HttpError that says what to fix. */
export function parseSpeechRequest(
  body: Record<string, unknown>,
  limits: SpeechLimits = {},
): SpeechRequest {
  const check = checkSpeechRequest(body, limits);
  if (!check.ok) throw new HttpError(check.status, check.code, check.message);
  return check.request;
}

/** Hex SHA-256 of what determines the audio: text, voice, speed and model version. */
export function cacheKey(request: SpeechRequest): string {
  return sha256Hex(
    JSON.stringify([MODEL_VERSION, request.voice, request.speed, request.text]),
  );
}
