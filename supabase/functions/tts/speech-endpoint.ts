import pRetry, { AbortError } from 'npm:p-retry@9.0.0';
import { type Speech, speechProblem, type SpeechRequest } from './speech.ts';

/** The speech endpoint failed; `detail` is for logs (status or shape), never for the caller. */
export class SpeechEndpointError extends Error {
  constructor(readonly detail: string) {
    super(`speech endpoint failed: ${detail}`);
  }
}

export type Synthesise = (request: SpeechRequest) => Promise<Speech>;

export interface SpeechEndpointOptions {
  url: string;
  token: string;
  /** Per attempt; a cold endpoint answers 503 quickly, a working one within seconds. */
  timeoutMs?: number;
  retries?: number;
  minBackoffMs?: number;
}

/**
 * Calls the Kokoro endpoint on Hugging Face: POST {text, voice, speed} -> Speech. Retries with
 * exponential backoff on 429, 5xx, timeouts and network errors; any other 4xx fails at once.
 */
export function createSpeechEndpoint(options: SpeechEndpointOptions): Synthesise {
  const { url, token, timeoutMs = 20_000, retries = 2, minBackoffMs = 250 } = options;
  const attempt = async (request: SpeechRequest): Promise<Speech> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      const failure = new SpeechEndpointError(`status ${response.status}`);
      if (response.status === 429 || response.status >= 500) throw failure;
      throw new AbortError(failure);
    }
    const body = await response.json().catch(() => undefined);
    const problem = speechProblem(request.text, body);
    if (problem) throw new AbortError(new SpeechEndpointError(`bad response: ${problem}`));
    return contractFields(body as Speech);
  };
  return async (request) => {
    try {
      return await pRetry(() => attempt(request), { retries, minTimeout: minBackoffMs, factor: 2 });
    } catch (error) {
      if (error instanceof SpeechEndpointError) throw error;
      throw new SpeechEndpointError(
        (error as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable',
      );
    }
  };
}

/** Only what the contract names reaches the caller and the cache, whatever else the endpoint sent. */
const contractFields = ({ audio, words, durationMs }: Speech): Speech => ({
  audio: { mime: audio.mime, data: audio.data },
  words: words.map(({ text, start, end, charStart, charEnd }) => ({
    text,
    start,
    end,
    charStart,
    charEnd,
  })),
  durationMs,
});
