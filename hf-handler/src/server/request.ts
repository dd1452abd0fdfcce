import {
  checkSpeechRequest,
  type SpeechLimits,
  type SpeechRequest,
} from '../../../speech/index.ts';
import { splitWords } from '../text/words';

export class RequestError extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// The contract's checks, then the handler's own: the text must hold a word it can speak.
export function parseSpeechRequest(body: unknown, limits: SpeechLimits): SpeechRequest {
  const check = checkSpeechRequest(body, limits);
  if (!check.ok) throw new RequestError(check.status, check.code, check.message);
  if (splitWords(check.request.text).length === 0) {
    throw new RequestError(400, 'no_words', 'text has no words to speak');
  }
  return check.request;
}
