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

/** How far past its last report the clock is trusted: the player reports four times a second. */
export const MAX_EXTRAPOLATION_MS = 1000;

/**
 * The audio position at `now`, extrapolated from the last report while playing, but never far:
 * if the reports stop, so does the highlight.
 */
export function positionAt(clock: AudioClock, now: number): number {
  if (!clock.playing) return clock.positionMs;
  return clock.positionMs + Math.min(Math.max(0, now - clock.at), MAX_EXTRAPOLATION_MS);
}

/** A report this far behind the extrapolated position is a correction, not a jump back. */
export const JITTER_MS = 300;

/**
 * Turns the audio clock into word changes: each tick finds the word at the current position and
 * calls `onWord` only when it differs from the last one (-1: none), with the position it used.
 * Small corrections backwards are ignored, so the highlight never steps back a word by jitter.
 */
export class HighlightScheduler {
  private current = -1;
  private last = -Infinity;
  constructor(
    private readonly words: readonly SpeechWord[],
    private readonly onWord: (index: number, positionMs: number) => void,
  ) {}

  tick(clock: AudioClock, now: number): number {
    let position = positionAt(clock, now);
    if (position < this.last && this.last - position < JITTER_MS) position = this.last;
    this.last = position;
    const index = wordIndexAt(this.words, position);
    if (index !== this.current) {
      this.current = index;
      this.onWord(index, position);
    }
    return index;
  }
}
