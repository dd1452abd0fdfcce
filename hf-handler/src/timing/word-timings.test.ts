import { describe, expect, it } from 'vitest';
import { letterPhonemiser } from '../../testing/letter-phonemiser';
import { Vocabulary } from '../phonemes/vocabulary';
import { planChunks } from '../synthesis';
import type { Chunk } from '../text/chunks';
import { splitWords } from '../text/words';
import { SAMPLES_PER_FRAME, wordTimings, type ChunkAudio } from './word-timings';
import type { SpeechWord } from '../../../speech/index.ts';

const vocabulary = new Vocabulary(
  Object.fromEntries([...' ,.!?abcdefghijklmnopqrstuvwxyz0123456789'].map((s, i) => [s, i + 1])),
);

const plan = (text: string, maxTokens: number): Promise<Chunk[]> =>
  planChunks(text, 'en-us', vocabulary, letterPhonemiser, maxTokens);

// Durations as Kokoro gives them: whole frames, shorter at higher speed, varying per token.
function speak(chunks: Chunk[], speed: number): ChunkAudio[] {
  return chunks.map((chunk) => {
    const durations = chunk.ids.map((id, i) =>
      Math.max(1, Math.round(((id % 5) + (i % 3) + 1) / speed)),
    );
    const frames = durations.reduce((a, b) => a + b, 0);
    return { chunk, durations, samples: frames * SAMPLES_PER_FRAME };
  });
}

const audioMs = (audio: ChunkAudio[]) => audio.reduce((ms, a) => ms + a.samples / 24, 0);

function expectWellFormed(words: SpeechWord[], totalMs: number) {
  words.forEach((w, i) => {
    expect(w.start).toBeGreaterThanOrEqual(0);
    expect(w.end).toBeGreaterThan(w.start);
    expect(w.end).toBeLessThanOrEqual(totalMs);
    if (i > 0) expect(w.start).toBe(words[i - 1]!.end);
  });
}

const TEXT =
  'The cat sat. The cat sat again, twice! 42 cats and 3.5 dogs: all sat? ' +
  'Then, at 10:30, the cat left; the dog stayed.';

describe('wordTimings', () => {
  it('turns frames into ms: BOS first, each word owns its punctuation and space, EOS excluded', () => {
    const chunk: Chunk = {
      ids: [0, 7, 8, 1, 9, 0],
      words: [
        {
          word: { text: 'ab', charStart: 0, charEnd: 2, sentence: 0, trailing: ' ' },
          start: 1,
          end: 4,
        },
        {
          word: { text: 'c', charStart: 3, charEnd: 4, sentence: 0, trailing: '' },
          start: 4,
          end: 5,
        },
      ],
    };
    const words = wordTimings([{ chunk, durations: [2, 1, 1, 1, 3, 4], samples: 12 * 600 }]);
    expect(words).toEqual([
      { text: 'ab', start: 50, end: 125, charStart: 0, charEnd: 2 },
      { text: 'c', start: 125, end: 200, charStart: 3, charEnd: 4 },
    ]);
  });

  it('carries times across chunks: the next chunk starts where the audio before it ends', () => {
    const chunk = (text: string, charStart: number): Chunk => ({
      ids: [0, 7, 0],
      words: [
        {
          word: { text, charStart, charEnd: charStart + 1, sentence: 0, trailing: '' },
          start: 1,
          end: 2,
        },
      ],
    });
    const words = wordTimings([
      { chunk: chunk('a', 0), durations: [1, 2, 3], samples: 6 * 600 },
      { chunk: chunk('b', 2), durations: [4, 2, 1], samples: 7 * 600 },
    ]);
    // Chunk two starts at 150 ms; its word starts after its BOS (4 frames).
    expect(words.map((w) => [w.text, w.start, w.end])).toEqual([
      ['a', 25, 250],
      ['b', 250, 300],
    ]);
  });

  it('never places a word past the audio when the waveform is shorter than its durations', () => {
    const chunk: Chunk = {
      ids: [0, 7, 0],
      words: [
        {
          word: { text: 'a', charStart: 0, charEnd: 1, sentence: 0, trailing: '' },
          start: 1,
          end: 2,
        },
      ],
    };
    const [word] = wordTimings([{ chunk, durations: [2, 8, 2], samples: 4 * 600 }]);
    expect(word).toMatchObject({ start: 50, end: 100 });
  });

  for (const speed of [0.5, 1, 1.3, 2]) {
    it(`gives ascending, contiguous times inside the audio across chunks at speed ${speed}`, async () => {
      const chunks = await plan(TEXT, 24);
      expect(chunks.length).toBeGreaterThan(3);
      const audio = speak(chunks, speed);
      const words = wordTimings(audio);
      expect(words).toHaveLength(splitWords(TEXT).length);
      expectWellFormed(words, audioMs(audio));
    });
  }

  it('is faster at a higher speed', async () => {
    const chunks = await plan(TEXT, 510);
    const slow = wordTimings(speak(chunks, 0.5));
    const fast = wordTimings(speak(chunks, 2));
    expect(fast.at(-1)!.end).toBeLessThan(slow.at(-1)!.end);
  });

  it('keeps character offsets that slice the text to each word, repeated words included', async () => {
    const words = wordTimings(speak(await plan(TEXT, 24), 1));
    for (const w of words) expect(TEXT.slice(w.charStart, w.charEnd)).toBe(w.text);
    const cats = words.filter((w) => w.text === 'cat');
    expect(new Set(cats.map((w) => w.charStart)).size).toBe(cats.length);
    expect(words.map((w) => w.text)).toContain('3.5');
    expect(words.map((w) => w.text)).toContain('42');
  });
});
