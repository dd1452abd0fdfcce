import { sha256Hex } from '../_shared/hash.ts';
import { MODEL_VERSION, type SpeechRequest } from '../../../speech/index.ts';

/** Hex SHA-256 of what determines the audio: text, voice, speed and model version. */
export function cacheKey(request: SpeechRequest): string {
  return sha256Hex(
    JSON.stringify([MODEL_VERSION, request.voice, request.speed, request.text]),
  );
}
