import {
  checkSpeechRequest,
  speechProblem,
  type ErrorBody,
  type SpeechRequest,
  type SpeechResponse,
} from '../../../speech/index.ts';
import { ApiError } from './errors';

export interface SpeechApiOptions {
  /** The stack's Supabase URL: functions live at `${apiBase}/functions/v1/<name>`. */
  apiBase: string;
  anonKey: string;
  /** The signed-in user's access token, fresh; undefined when signed out. */
  accessToken(): Promise<string | undefined>;
  fetch?: typeof fetch;
}

/** Calls `POST /functions/v1/tts`; every failure is an ApiError with the contract's code. */
export function createSpeechApi({
  apiBase,
  anonKey,
  accessToken,
  fetch = globalThis.fetch,
}: SpeechApiOptions) {
  return async function speak(body: SpeechRequest): Promise<SpeechResponse> {
    const check = checkSpeechRequest(body);
    if (!check.ok) throw new ApiError(check.status, check.code, check.message);
    const token = await accessToken();
    if (!token) throw new ApiError(401, 'signed_out', 'no session: sign in first');
    let response: Response;
    try {
      response = await fetch(`${apiBase}/functions/v1/tts`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          apikey: anonKey,
          'content-type': 'application/json',
        },
        body: JSON.stringify(check.request),
      });
    } catch {
      throw new ApiError(0, 'network', 'the speech service did not answer');
    }
    const answer = (await response.json().catch(() => undefined)) as unknown;
    if (!response.ok) {
      const error = (answer as Partial<ErrorBody> | undefined)?.error;
      throw new ApiError(
        response.status,
        typeof error?.code === 'string' ? error.code : `http_${response.status}`,
        typeof error?.message === 'string' ? error.message : response.statusText,
      );
    }
    const problem = speechProblem(check.request.text, answer);
    if (problem) throw new ApiError(502, 'invalid_speech', problem);
    return answer as SpeechResponse;
  };
}
