import type { SpeechWord } from '../../../speech/index.ts';

/** The index of the word being spoken at `ms` (its start <= ms < its end), or -1 between words. */
export function wordIndexAt(words: readonly SpeechWord[], ms: number): number {
  let low = 0;
  let high = words.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (words[middle]!.start <= ms) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found >= 0 && ms < words[found]!.end ? found : -1;
}

/** Where the audio was at a moment of the shared wall clock, as the player reported it. */
export interface AudioClock {
  positionMs: number;
  /** `Date.now()` when the position was read. */
  at: number;
  playing: boolean;
}

/** The audio position at `now`, extrapolated from the last report while playing. */
export function positionAt(clock: AudioClock, now: number): number {
  return clock.playing ? clock.positionMs + Math.max(0, now - clock.at) : clock.positionMs;
}

/**
 * Turns the audio clock into word changes: each tick finds the word at the current position and
 * calls `onWord` only when it differs from the last one (-1: none), with the position it used.
 */
export class HighlightScheduler {
  private current = -1;
  constructor(
    private readonly words: readonly SpeechWord[],
    private readonly onWord: (index: number, positionMs: number) => void,
  ) {}

  tick(clock: AudioClock, now: number): number {
    const position = positionAt(clock, now);
    const index = wordIndexAt(this.words, position);
    if (index !== this.current) {
      this.current = index;
      this.onWord(index, position);
    }
    return index;
  }
}
