import { describe, expect, it } from 'vitest';
import { letterPhonemiser } from '../../testing/letter-phonemiser';
import { planChunks } from '../synthesis';
import { splitWords } from '../text/words';
import {
  createEspeakPhonemiser,
  espeakPhonemiser,
  languageOfVoice,
  loadEspeak,
  type ReadClauses,
} from './phonemiser';
import { Vocabulary } from './vocabulary';

// Punctuation, numbers, hyphens, apostrophes (straight and curly), repeated words and accented letters.
const PARAGRAPH =
  "The quick brown fox jumps over the lazy dog. It was 42 degrees outside, so everyone stayed in! Dr Smith said e.g. tomatoes cost $3.50 in 1999, didn't they? Well-known U.S. rock'n'roll, naïve café. Zoë’s co-operative sold 1,000 crêpes at 12:30; the the end.";
const wordsOf = (text: string) => splitWords(text).map((word) => word.text);

/** espeak-ng itself, counting its calls. */
function countingEspeak() {
  const calls: string[] = [];
  const espeak: ReadClauses = async (text, language) => {
    calls.push(text);
    return (await loadEspeak())(text, language);
  };
  return { calls, espeak };
}

/** What espeak-ng reads for each word given alone, one call per word. */
const oneCallPerWord = {
  async phonemise(words: readonly string[], language: string) {
    const read = await loadEspeak();
    const each = [];
    for (const word of words) each.push((await read(word, language)).join(' '));
    return each;
  },
};

describe('espeakPhonemiser', () => {
  it('gives espeak-ng IPA with stress marks for a word, offline', async () => {
    expect(await espeakPhonemiser.phonemise(['hello'], 'en-us')).toEqual(['həlˈoʊ']);
  });

  it('speaks numbers as words and follows the language', async () => {
    expect((await espeakPhonemiser.phonemise(['42'], 'en-us'))[0]).toMatch(/^f.*t.*uː$/);
    const british = languageOfVoice('bf_emma')!;
    const american = languageOfVoice('af_heart')!;
    // Switching back and forth must really change the accent.
    for (let i = 0; i < 2; i++) {
      expect(await espeakPhonemiser.phonemise(['tomato'], american)).toEqual(['təmˈeɪɾoʊ']);
      expect(await espeakPhonemiser.phonemise(['tomato'], british)).toEqual(['təmˈɑːtəʊ']);
    }
  });

  it('refuses a language espeak-ng has no voice for, naming it, and still reads the others', async () => {
    await expect(createEspeakPhonemiser().phonemise(['hello'], 'xx-nowhere')).rejects.toThrow(
      'espeak-ng has no voice "xx-nowhere"',
    );
    expect(await createEspeakPhonemiser().phonemise(['hello'], 'en-us')).toEqual(['həlˈoʊ']);
  });

  it('reads a function word alone as it reads it inside a sentence, unstressed', async () => {
    const read = await loadEspeak();
    expect(await espeakPhonemiser.phonemise(['the', 'for'], 'en-us')).toEqual(['ðə', 'fɔːɹ']);
    expect(await read('the dog waited for me', 'en-us')).toEqual(['ðə dˈɑːɡ wˈeɪɾᵻd fɔːɹ mˌiː']);
  });

  it('gives each word of a paragraph exactly what espeak-ng gives that word alone', async () => {
    // The word splitter cuts at hyphens and colons; a caller may still pass a hyphenated word.
    const words = [...wordsOf(PARAGRAPH), 'Well-known', 'rock-’n’-roll', 'Ünïcödé', 'the'];
    expect(words).toEqual(
      expect.arrayContaining(['42', '3.50', '1,000', 'U.S', "didn't", 'naïve', 'Zoë’s', 'co']),
    );
    const alone = await oneCallPerWord.phonemise(words, 'en-us');
    expect(await createEspeakPhonemiser().phonemise(words, 'en-us')).toEqual(alone);
    expect(await createEspeakPhonemiser().phonemise(words, 'en-gb-x-rp')).toEqual(
      await oneCallPerWord.phonemise(words, 'en-gb-x-rp'),
    );
  });

  it('gives from its cache exactly what it gave from espeak-ng', async () => {
    const { calls, espeak } = countingEspeak();
    const phonemiser = createEspeakPhonemiser(espeak);
    const words = wordsOf(PARAGRAPH);
    const batched = await phonemiser.phonemise(words, 'en-us');
    const read = calls.length;
    expect(await phonemiser.phonemise([...words].reverse(), 'en-us')).toEqual(
      [...batched].reverse(),
    );
    expect(calls).toHaveLength(read);
  });

  it('phonemises the plain words of a paragraph in one call and repeats from its cache', async () => {
    const { calls, espeak } = countingEspeak();
    const phonemiser = createEspeakPhonemiser(espeak);
    const words = wordsOf('The cat saw the other cat. Then the cat left.');
    const first = await phonemiser.phonemise(words, 'en-us');
    expect(calls).toEqual(['The.\ncat.\nsaw.\nthe.\nother.\nThen.\nleft']);
    expect(await phonemiser.phonemise(words, 'en-us')).toEqual(first);
    expect(calls).toHaveLength(1);
    await phonemiser.phonemise(words, 'en-gb-x-rp');
    expect(calls).toHaveLength(2);
  });

  it('phonemises numbers and dotted words alone, since espeak-ng may read them across a break', async () => {
    const { calls, espeak } = countingEspeak();
    await createEspeakPhonemiser(espeak).phonemise(['cost', '3.50', 'in', '1999', 'U.S'], 'en-us');
    expect(calls).toEqual(['cost.\nin', '3.50', '1999', 'U.S']);
  });

  it('goes word by word when a batch does not come back one clause per word', async () => {
    const merged = async (text: string) =>
      text.includes('\n') ? ['one clause for all'] : [`/${text}/`];
    expect(await createEspeakPhonemiser(merged).phonemise(['a', 'b', 'a'], 'en-us')).toEqual([
      '/a/',
      '/b/',
      '/a/',
    ]);
  });

  it('keeps at most its limit of words, dropping the least recently used', async () => {
    const { calls, espeak } = countingEspeak();
    const phonemiser = createEspeakPhonemiser(espeak, 2);
    await phonemiser.phonemise(['one', 'two'], 'en-us');
    await phonemiser.phonemise(['one'], 'en-us');
    await phonemiser.phonemise(['three'], 'en-us'); // drops "two", used least recently
    await phonemiser.phonemise(['one', 'two'], 'en-us');
    expect(calls).toEqual(['one.\ntwo', 'three', 'two']);
  });

  it('plans the same chunks and word ranges as phonemising each word in its own call', async () => {
    const read = await loadEspeak();
    const vocabulary = new Vocabulary(
      Object.fromEntries(
        [...new Set([...(await read(PARAGRAPH, 'en-us')).join(' '), ...' .,!?;:'])].map(
          (symbol, i) => [symbol, i + 1],
        ),
      ),
    );
    const text = `${PARAGRAPH} ${PARAGRAPH}`;
    const expected = await planChunks(text, 'en-us', vocabulary, oneCallPerWord, 60);
    expect(expected.length).toBeGreaterThan(1);
    const placed = expected.flatMap((chunk) => chunk.words.map(({ word }) => word));
    expect(placed.map((word) => text.slice(word.charStart, word.charEnd))).toEqual(wordsOf(text));
    const phonemiser = createEspeakPhonemiser();
    expect(await planChunks(text, 'en-us', vocabulary, phonemiser, 60)).toEqual(expected);
    // The second time every word comes from the cache.
    expect(await planChunks(text, 'en-us', vocabulary, phonemiser, 60)).toEqual(expected);
    expect(await planChunks(text, 'en-us', vocabulary, letterPhonemiser, 60)).not.toEqual(expected);
  });
});

describe('languageOfVoice', () => {
  it('reads the English variant from the first letter of a Kokoro voice name', () => {
    expect(languageOfVoice('af_heart')).toBe('en-us');
    expect(languageOfVoice('bm_george')).toBe('en-gb-x-rp');
  });

  it('has no language for voices the phonemiser cannot speak for', () => {
    expect(languageOfVoice('ff_siwis')).toBeUndefined();
    expect(languageOfVoice('jf_alpha')).toBeUndefined();
  });
});

describe('Vocabulary', () => {
  it('maps each symbol to its id and drops the ones it does not know', () => {
    expect(new Vocabulary({ h: 50, ə: 83, ˈ: 156 }).encode('həˈlo')).toEqual([50, 83, 156]);
  });
});
