import { describe, expect, it } from 'vitest';
import { PAD_ID } from '../phonemes/vocabulary';
import { SPACE, tokeniseByLetters as tokenise } from '../../testing/letter-tokens';
import { chunkWords } from './chunks';
import { splitWords } from './words';

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

  const splits: [string, string, number, string[][]][] = [
    [
      'moves a whole sentence to the next chunk rather than split one that fits',
      'Aaaa bbbb. Cccc dddd. Eeee.',
      16,
      [
        ['Aaaa', 'bbbb'],
        ['Cccc', 'dddd', 'Eeee'],
      ],
    ],
    [
      'splits a sentence longer than the context between words',
      'aaaa bbbb cccc dddd eeee.',
      10,
      [['aaaa', 'bbbb'], ['cccc', 'dddd'], ['eeee']],
    ],
  ];
  for (const [what, text, maxTokens, expected] of splits) {
    it(what, () => {
      const chunks = chunkWords(tokenise(text), SPACE, maxTokens);
      expect(chunks.map((c) => c.words.map((w) => w.word.text))).toEqual(expected);
      for (const c of chunks) expect(inner(c.ids)).toBeLessThanOrEqual(maxTokens);
    });
  }

  it('keeps every word exactly once and in order', () => {
    const text = 'One two three. Four five six seven eight nine ten. Eleven!';
    const words = chunkWords(tokenise(text), SPACE, 15).flatMap((c) => c.words);
    expect(words.map((w) => w.word.text)).toEqual(splitWords(text).map((w) => w.text));
  });
});
