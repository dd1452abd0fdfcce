import { phonemize } from 'phonemizer';

// Turns one word into IPA phonemes in the symbol set Kokoro was trained on (espeak-ng's).
export interface Phonemiser {
  phonemise(word: string, language: string): Promise<string>;
}

// espeak-ng compiled to WebAssembly (GPL-3.0-or-later, see LICENSES.md); runs offline.
export const espeakPhonemiser: Phonemiser = {
  async phonemise(word, language) {
    return (await phonemize(word, language)).join(' ');
  },
};

// Kokoro voice names start with a language letter (af_heart: American English, bf_emma: British).
// The WebAssembly build ships English only; plain "en-gb" does not switch back from "en-us" there.
const LANGUAGE_BY_VOICE_PREFIX: Record<string, string> = { a: 'en-us', b: 'en-gb-x-rp' };

// The espeak-ng language for a voice, or undefined when the handler cannot phonemise for it.
export function languageOfVoice(voice: string): string | undefined {
  return LANGUAGE_BY_VOICE_PREFIX[voice.charAt(0)];
}
