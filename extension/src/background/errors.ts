import { MAX_TEXT_CHARS } from '../../../speech/index.ts';

/** A failed call to the API: the HTTP status (0: no answer) and the contract's error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What the listener reads when reading fails, and where to act on it. */
export interface UserMessage {
  message: string;
  link?: { text: string; url: string };
}

/** A clear, human message for each way the API fails; `siteUrl` is where plans are upgraded. */
export function userMessage(error: unknown, siteUrl: string): UserMessage {
  if (!(error instanceof ApiError)) {
    return { message: 'Reading aloud stopped because of an unexpected problem. Please try again.' };
  }
  const { status, code } = error;
  if (code === 'nothing_to_read') {
    return { message: 'There is no text to read here. Select some text and try again.' };
  }
  if (status === 401) {
    return { message: 'Please sign in to read aloud: open the Read Aloud popup and sign in.' };
  }
  if (status === 402) {
    return {
      message: 'You have used all of this month’s characters. Upgrade your plan to keep listening.',
      link: { text: 'Upgrade', url: new URL('/pricing', siteUrl).href },
    };
  }
  if (status === 413) {
    return {
      message: `That text is too long to read at once (the limit is ${MAX_TEXT_CHARS} characters). Select a shorter part.`,
    };
  }
  if (status === 429)
    return { message: 'Too many requests at once. Wait a moment, then try again.' };
  if (status >= 500) {
    return { message: 'The speech service is having trouble. Please try again in a moment.' };
  }
  if (status === 0) {
    return {
      message: 'The speech service cannot be reached. Check your connection and try again.',
    };
  }
  return { message: `Reading aloud failed (${code}). Please try again.` };
}
