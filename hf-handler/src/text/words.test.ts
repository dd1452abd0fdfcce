import { describe, expect, it } from 'vitest';
import { splitWords } from './words';

describe('splitWords', () => {
  it('gives offsets that slice the original text to each word, punctuation and numbers included', () => {
    const text = '“Pi is 3.14,” she said. Pi is   3.14!\nReally? Yes—really.';
    const words = splitWords(text);
    expect(words.map((w) => w.text)).toEqual([
      'Pi',
      'is',
      '3.14',
      'she',
      'said',
      'Pi',
      'is',
      '3.14',
      'Really',
      'Yes',
      'really',
    ]);
    for (const w of words) expect(text.slice(w.charStart, w.charEnd)).toBe(w.text);
  });

  it('tells repeated words apart by their offsets', () => {
    const words = splitWords('the cat saw the cat');
    expect(words.filter((w) => w.text === 'the').map((w) => w.charStart)).toEqual([0, 12]);
    expect(words.filter((w) => w.text === 'cat').map((w) => w.charStart)).toEqual([4, 16]);
  });

  it('keeps what follows each word and numbers the sentences', () => {
    const words = splitWords('Hi, you. Bye!');
    expect(words.map((w) => [w.text, w.trailing, w.sentence])).toEqual([
      ['Hi', ', ', 0],
      ['you', '. ', 0],
      ['Bye', '!', 1],
    ]);
  });

  it('finds no words in punctuation alone', () => {
    expect(splitWords(' ... !? ')).toEqual([]);
  });
});
