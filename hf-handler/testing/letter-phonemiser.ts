import type { Phonemiser } from '../src/phonemes/phonemiser';

// One "phoneme" per lowercase letter or digit: token counts are known in advance, and espeak-ng never loads.
export const letterPhonemiser: Phonemiser = {
  async phonemise(words) {
    return words.map((word) => word.toLowerCase().replace(/[^a-z0-9]/g, ''));
  },
};
