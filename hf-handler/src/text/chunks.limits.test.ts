import { describe, expect, it } from 'vitest';
import { LETTER_TOKEN as L, SPACE, tokeniseByLetters } from '../../testing/letter-tokens';
import { PAD_ID } from '../phonemes/vocabulary';
import { chunkWords } from './chunks';

const S = SPACE[0];
const letters = (n: number) => Array<number>(n).fill(L);
const chunk = (text: string, maxTokens: number) =>
  chunkWords(tokeniseByLetters(text), SPACE, maxTokens).map((c) => ({
    ids: c.ids,
    words: c.words.map((w) => [w.word.text, w.start, w.end]),
  }));

describe('chunkWords at the edges of the context', () => {
  it('fills a chunk exactly to the limit, not counting the space after its last word', () => {
    expect(chunk('Aaaa bbbb. Cccc dddd.', 9)).toEqual([
      {
        ids: [PAD_ID, ...letters(4), S, ...letters(4), PAD_ID],
        words: [
          ['Aaaa', 1, 6],
          ['bbbb', 6, 10],
        ],
      },
      {
        ids: [PAD_ID, ...letters(4), S, ...letters(4), PAD_ID],
        words: [
          ['Cccc', 1, 6],
          ['dddd', 6, 10],
        ],
      },
    ]);
  });

  it('counts the space between words against the limit', () => {
    // 4 + 1 + 4 + 1 + 4 = 14 tokens.
    expect(chunk('aaaa bbbb cccc.', 14).map((c) => c.words.length)).toEqual([3]);
    expect(chunk('aaaa bbbb cccc.', 13).map((c) => c.words.map(([text]) => text))).toEqual([
      ['aaaa', 'bbbb'],
      ['cccc'],
    ]);
  });

  it('adds and counts no space between words joined without one', () => {
    expect(chunk('well-known', 9)).toEqual([
      {
        ids: [PAD_ID, ...letters(9), PAD_ID],
        words: [
          ['well', 1, 5],
          ['known', 5, 10],
        ],
      },
    ]);
  });

  it('gives a single word longer than the context a chunk of its own, cut to the context', () => {
    expect(chunk('Go supercalifragilistic now.', 10)).toEqual([
      { ids: [PAD_ID, ...letters(2), PAD_ID], words: [['Go', 1, 3]] },
      {
        ids: [PAD_ID, ...letters(10), PAD_ID],
        words: [['supercalifragilistic', 1, 11]],
      },
      { ids: [PAD_ID, ...letters(3), PAD_ID], words: [['now', 1, 4]] },
    ]);
  });

  it('makes no chunk of no words', () => {
    expect(chunkWords([], SPACE)).toEqual([]);
  });
});
