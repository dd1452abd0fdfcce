// Turns words into IPA phonemes in the symbol set Kokoro was trained on (espeak-ng's), one entry per word.
export interface Phonemiser {
  phonemise(words: readonly string[], language: string): Promise<string[]>;
}

/** espeak-ng's phonemes for a text: one entry per clause it read, words separated by spaces. */
export type ReadClauses = (text: string, language: string) => Promise<string[]>;

let engine: Promise<ReadClauses> | undefined;

// Ordinary prose, read over and over at load (about 1,800 words): the engine's code is only optimised
// once it has run a while, and otherwise the first requests would pay several times the steady cost.
const WARM_UP = Array(30)
  .fill(
    'Reading aloud helps people follow long articles; the words light up as they are spoken. ' +
      'On cold mornings in January, about 30 people arrived before the doors opened, asking ' +
      "for newspapers, printed forms and a quiet corner where nobody would ask them to leave. It's " +
      'well-known that budgets have shrunk while demand has grown, yet the loans of books rose.',
  )
  .join(' ');

// espeak-ng compiled by Emscripten to JavaScript (wasm2js), with its language data (GPL-3.0-or-later,
// see LICENSES.md); runs offline. Loading and warming it take seconds: the handler does it at startup.
export function loadEspeak(): Promise<ReadClauses> {
  engine ??= startEspeak().then(async (read) => {
    await read(WARM_UP, 'en-us');
    return read;
  });
  return engine;
}

async function startEspeak(): Promise<ReadClauses> {
  const { default: createEspeakModule } = await import('@echogarden/espeak-ng-emscripten');
  const espeak = await createEspeakModule();
  const worker = new espeak.eSpeakNGWorker();
  const decoder = new TextDecoder();
  let voice: string | undefined;
  // espeak_TextToPhonemes only translates: taking phonemes from a synthesis trace also renders the
  // audio, which costs about twenty times more per word.
  return async (text, language) => {
    if (language !== voice) {
      voice = undefined;
      if (worker.set_voice(language) !== 0) throw new Error(`espeak-ng has no voice "${language}"`);
      voice = language;
    }
    const pointer = espeak.getPointer(worker.text_to_phonemes(text, 1));
    const read = decoder.decode(espeak.HEAPU8.subarray(pointer, espeak.HEAPU8.indexOf(0, pointer)));
    espeak._free(pointer);
    return read
      .split(' | ')
      .map((clause) => clause.replaceAll('_', ''))
      .filter((clause) => clause.length > 0);
  };
}

const readClauses: ReadClauses = async (text, language) => (await loadEspeak())(text, language);

// Words espeak-ng reads as one clause each when batched: letters, marks, apostrophes and hyphens.
// Digits, dots and symbols can be read across a clause boundary ("3." then "50"), so they go alone.
const BATCHABLE = /^[\p{L}\p{M}'’-]+$/u;
// Each batched word ends its own sentence, so espeak-ng reads it as if called with that word alone.
const CLAUSE_BREAK = '.\n';
// Frequent words repeat across requests; 20k entries of a few dozen bytes each stay small.
const CACHE_LIMIT = 20_000;

// A word alone always reads the same, so the phonemes are cached per language and word; the words
// not cached yet go to espeak-ng in one call.
export function createEspeakPhonemiser(
  espeak: ReadClauses = readClauses,
  cacheLimit = CACHE_LIMIT,
): Phonemiser {
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
      const clauses = batch.length > 0 ? await espeak(batch.join(CLAUSE_BREAK), language) : [];
      // A clause count that does not match means espeak-ng merged or split one: go word by word.
      if (clauses.length === batch.length) batch.forEach((word, i) => found.set(word, clauses[i]!));
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
const LANGUAGE_BY_VOICE_PREFIX: Record<string, string> = { a: 'en-us', b: 'en-gb-x-rp' };

// The espeak-ng language for a voice, or undefined when the handler cannot phonemise for it.
export function languageOfVoice(voice: string): string | undefined {
  return LANGUAGE_BY_VOICE_PREFIX[voice.charAt(0)];
}
