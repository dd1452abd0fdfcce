import { phonemize } from 'phonemizer';

// Turns words into IPA phonemes in the symbol set Kokoro was trained on (espeak-ng's), one entry per word.
export interface Phonemiser {
  phonemise(words: readonly string[], language: string): Promise<string[]>;
}

// Words espeak-ng reads as one clause each when batched: letters, marks, apostrophes and hyphens.
// Digits, dots and symbols can be read across a clause boundary ("3." then "50"), so they go alone.
const BATCHABLE = /^[\p{L}\p{M}'’-]+$/u;
// Each batched word ends its own sentence, so espeak-ng gives one line per word, as if called alone.
const CLAUSE_BREAK = '.\n';
// Frequent words repeat across requests; 20k entries of a few dozen bytes each stay small.
const CACHE_LIMIT = 20_000;

// espeak-ng compiled to WebAssembly (GPL-3.0-or-later, see LICENSES.md); runs offline.
// Its cost is mostly per word read, so what saves time is the cache per language and word (a word
// alone always reads the same); the words not cached yet go in one call.
export function createEspeakPhonemiser(espeak = phonemize, cacheLimit = CACHE_LIMIT): Phonemiser {
  const cache = new Map<string, string>();
  // Least recently used first, so the oldest entry is the one to go.
  const remember = (key: string, phonemes: string) => {
    cache.delete(key);
    if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value!);
    cache.set(key, phonemes);
  };
  return {
    async phonemise(words, language) {
      const keyOf = (word: string) => `${language}\0${word}`;
      const found = new Map<string, string>();
      for (const word of words) {
        const cached = cache.get(keyOf(word));
        if (cached !== undefined) found.set(word, cached);
      }
      const unknown = [...new Set(words)].filter((word) => !found.has(word));
      const batch = unknown.filter((word) => BATCHABLE.test(word));
      const lines = batch.length > 0 ? await espeak(batch.join(CLAUSE_BREAK), language) : [];
      // A line count that does not match means espeak-ng merged or split a clause: go word by word.
      if (lines.length === batch.length) batch.forEach((word, i) => found.set(word, lines[i]!));
      for (const word of unknown) {
        if (!found.has(word)) found.set(word, (await espeak(word, language)).join(' '));
      }
      for (const [word, phonemes] of found) remember(keyOf(word), phonemes);
      return words.map((word) => found.get(word)!);
    },
  };
}

export const espeakPhonemiser = createEspeakPhonemiser();

// Kokoro voice names start with a language letter (af_heart: American English, bf_emma: British).
// The WebAssembly build ships English only; plain "en-gb" does not switch back from "en-us" there.
const LANGUAGE_BY_VOICE_PREFIX: Record<string, string> = { a: 'en-us', b: 'en-gb-x-rp' };

// The espeak-ng language for a voice, or undefined when the handler cannot phonemise for it.
export function languageOfVoice(voice: string): string | undefined {
  return LANGUAGE_BY_VOICE_PREFIX[voice.charAt(0)];
}
