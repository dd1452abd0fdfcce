import { PAD_ID } from '../phonemes/vocabulary';
import type { TextWord } from './words';

// Kokoro's context is 512 positions: 510 phoneme tokens between BOS and EOS.
export const MAX_CHUNK_TOKENS = 510;

export interface TokenisedWord {
  word: TextWord;
  // The word's phonemes and trailing punctuation, without the space that follows.
  ids: number[];
  spaceAfter: boolean;
}

export interface ChunkWord {
  word: TextWord;
  // Token range [start, end) in the chunk's ids; a word owns the punctuation and space after it.
  start: number;
  end: number;
}

export interface Chunk {
  // BOS, tokens, EOS: what the model takes as input_ids.
  ids: number[];
  words: ChunkWord[];
}

function tokenCount(words: TokenisedWord[], space: readonly number[]): number {
  return words.reduce(
    (n, w, i) => n + w.ids.length + (w.spaceAfter && i < words.length - 1 ? space.length : 0),
    0,
  );
}

function toChunk(words: TokenisedWord[], space: readonly number[], maxTokens: number): Chunk {
  const ids = [PAD_ID];
  const placed = words.map((w, i) => {
    const start = ids.length;
    // Only a single word longer than the whole context is cut short.
    ids.push(...w.ids.slice(0, maxTokens));
    if (w.spaceAfter && i < words.length - 1) ids.push(...space);
    return { word: w.word, start, end: ids.length };
  });
  ids.push(PAD_ID);
  return { ids, words: placed };
}

// Packs whole sentences into chunks that fit the context; a sentence too long alone splits between words.
export function chunkWords(
  words: TokenisedWord[],
  space: readonly number[],
  maxTokens = MAX_CHUNK_TOKENS,
): Chunk[] {
  const groups: TokenisedWord[][] = [];
  let current: TokenisedWord[] = [];
  const pack = (unit: TokenisedWord[]) => {
    if (tokenCount([...current, ...unit], space) <= maxTokens) {
      current.push(...unit);
      return;
    }
    if (current.length > 0) groups.push(current);
    current = [];
    // Word by word into the fresh chunk: a sentence that fits stays whole, a longer one splits.
    if (unit.length === 1) current = [...unit];
    else for (const w of unit) pack([w]);
  };
  const sentences: TokenisedWord[][] = [];
  for (const w of words) {
    const last = sentences.at(-1);
    if (last && last[0]!.word.sentence === w.word.sentence) last.push(w);
    else sentences.push([w]);
  }
  for (const sentence of sentences) pack(sentence);
  if (current.length > 0) groups.push(current);
  return groups.map((g) => toChunk(g, space, maxTokens));
}
