import type { TokenisedWord } from '../src/text/chunks';
import { splitWords } from '../src/text/words';

export const LETTER_TOKEN = 50;
export const SPACE = [16];

// Each word gets as many tokens as it has letters, so chunk sizes can be counted by eye.
export function tokeniseByLetters(text: string): TokenisedWord[] {
  return splitWords(text).map((word) => ({
    word,
    ids: Array<number>(word.text.length).fill(LETTER_TOKEN),
    spaceAfter: /\s/.test(word.trailing),
  }));
}
