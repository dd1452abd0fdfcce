import type { SpeechWord } from '../../../speech/index.ts';
import type { Chunk } from '../text/chunks';

export const SAMPLE_RATE = 24_000;
// Kokoro predicts durations in frames of 600 samples (25 ms at 24 kHz), already divided by speed.
export const SAMPLES_PER_FRAME = 600;
const MS_PER_SAMPLE = 1000 / SAMPLE_RATE;

export interface ChunkAudio {
  chunk: Chunk;
  // One duration in frames per input id, BOS and EOS included.
  durations: readonly number[];
  samples: number;
}

// Word times in ms from the start of the concatenated audio; each word lasts until the next one starts.
export function wordTimings(chunks: readonly ChunkAudio[]): SpeechWord[] {
  const timings: SpeechWord[] = [];
  let offsetMs = 0;
  for (const { chunk, durations, samples } of chunks) {
    const chunkMs = samples * MS_PER_SAMPLE;
    const framesBefore = [0];
    for (const d of durations) framesBefore.push(framesBefore[framesBefore.length - 1]! + d);
    const at = (token: number) =>
      offsetMs + Math.min(framesBefore[token]! * SAMPLES_PER_FRAME * MS_PER_SAMPLE, chunkMs);
    for (const { word, start, end } of chunk.words) {
      timings.push({
        text: word.text,
        start: at(start),
        end: at(end),
        charStart: word.charStart,
        charEnd: word.charEnd,
      });
    }
    offsetMs += chunkMs;
  }
  // The silence between chunks belongs to the word before it, as a pause inside a chunk does.
  timings.forEach((t, i) => {
    const next = timings[i + 1];
    if (next) t.end = next.start;
  });
  return timings;
}
