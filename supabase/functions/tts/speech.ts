import { sha256Hex } from '../_shared/hash.ts';
import { HttpError } from '../_shared/http.ts';
import { checkSpeechRequest, MODEL_VERSION, type SpeechRequest } from '../../../speech/index.ts';

export { MAX_TEXT_CHARS, MODEL_VERSION, speechProblem, VOICES } from '../../../speech/index.ts';
export type {
  SpeechRequest,
  SpeechResponse as Speech,
  SpeechWord as Word,
} from '../../../speech/index.ts';

/** Validates a caller's `{text, voice?, speed?}`; a refusal is an HttpError that says what to fix. */
export function parseSpeechRequest(body: Record<string, unknown>): SpeechRequest {
  const check = checkSpeechRequest(body);
  if (!check.ok) throw new HttpError(check.status, check.code, check.message);
  return check.request;
}

/** Hex SHA-256 of what determines the audio: text, voice, speed and model version. */
export function cacheKey(request: SpeechRequest): string {
  return sha256Hex(
    JSON.stringify([MODEL_VERSION, request.voice, request.speed, request.text]),
  );
}
