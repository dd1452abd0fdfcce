import { describe, expect, it } from 'vitest';
import { chunkText } from './chunk';

const pieces = (text: string, sizes = { first: 40, rest: 80 }) =>
  chunkText(text, sizes).map(({ start, end }) => text.slice(start, end));

describe('chunkText', () => {
  it('keeps a short text whole', () => {
    expect(pieces('  One sentence.  ')).toEqual(['One sentence.']);
  });

  it('cuts after sentence ends, the first chunk shorter, and loses no word', () => {
    const text =
      'First one is here. Second sentence follows it. ' +
      'A third sentence is somewhat longer than the others. And a fourth. Fifth!';
    const chunks = pieces(text);
    expect(chunks).toEqual([
      'First one is here.',
      'Second sentence follows it. A third sentence is somewhat longer than the others.',
      'And a fourth. Fifth!',
    ]);
    expect(chunks.join(' ')).toBe(text);
  });

  it('cuts at a space when a sentence is too long, and mid-word only when it must', () => {
    expect(pieces('aaaa bbbb cccc dddd', { first: 12, rest: 12 })).toEqual([
      'aaaa bbbb',
      'cccc dddd',
    ]);
    expect(pieces('abcdefghij', { first: 4, rest: 4 })).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('lets each chunk grow to twice the one before, up to the most any may hold', () => {
    const text = 'Word and more words. '.repeat(200);
    const chunks = chunkText(text, { first: 100, rest: 500 });
    const lengths = chunks.map(({ start, end }) => end - start);
    // Whole sentences of 21 characters (the last one's space dropped) fill each limit.
    expect(lengths.slice(0, 5)).toEqual([83, 188, 398, 482, 482]);
    for (const length of lengths) expect(length).toBeLessThanOrEqual(500);
    expect(chunks.map(({ start, end }) => text.slice(start, end)).join(' ')).toBe(text.trim());
  });
});
