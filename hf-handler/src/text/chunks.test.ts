import { describe, expect, it } from 'vitest';
import { PAD_ID } from '../phonemes/vocabulary';
import { chunkWords, type TokenisedWord } from './chunks';
import { splitWords } from './words';

const SPACE = [16];

// Each word gets as many tokens (id 50) as it has letters.
function tokenise(text: string): TokenisedWord[] {
  return splitWords(text).map((word) => ({
    word,
    ids: Array<number>(word.text.length).fill(50),
    spaceAfter: /\s/.test(word.trailing),
  }));
}

const inner = (ids: number[]) => ids.length - 2;

describe('chunkWords', () => {
  it('puts everything in one chunk framed by BOS and EOS when it fits', () => {
    const [chunk, ...rest] = chunkWords(tokenise('ab cd. efg'), SPACE, 20);
    expect(rest).toEqual([]);
    expect(chunk!.ids).toEqual([PAD_ID, 50, 50, 16, 50, 50, 16, 50, 50, 50, PAD_ID]);
    expect(chunk!.words.map((w) => [w.word.text, w.start, w.end])).toEqual([
      ['ab', 1, 4],
      ['cd', 4, 7],
      ['efg', 7, 10],
    ]);
  });

  it('splits between sentences, never inside one that fits', () => {
    const chunks = chunkWords(tokenise('aaaa bbbb. cccc dddd. eeee.'), SPACE, 12);
    expect(chunks.map((c) => c.words.map((w) => w.word.text))).toEqual([
      ['aaaa', 'bbbb'],
      ['cccc', 'dddd'],
      ['eeee'],
    ]);
    for (const c of chunks) expect(inner(c.ids)).toBeLessThanOrEqual(12);
  });

  it('splits a sentence longer than the context between words', () => {
    const chunks = chunkWords(tokenise('aaaa bbbb cccc dddd eeee.'), SPACE, 10);
    expect(chunks.map((c) => c.words.map((w) => w.word.text))).toEqual([
      ['aaaa', 'bbbb'],
      ['cccc', 'dddd'],
      ['eeee'],
    ]);
    for (const c of chunks) expect(inner(c.ids)).toBeLessThanOrEqual(10);
  });

  it('keeps every word exactly once and in order', () => {
    const text = 'One two three. Four five six seven eight nine ten. Eleven!';
    const words = chunkWords(tokenise(text), SPACE, 15).flatMap((c) => c.words);
    expect(words.map((w) => w.word.text)).toEqual(splitWords(text).map((w) => w.text));
  });
});
