import { describe, expect, it } from 'vitest';
import { espeakPhonemiser, languageOfVoice } from './phonemiser';
import { Vocabulary } from './vocabulary';

describe('espeakPhonemiser', () => {
  it('gives espeak-ng IPA with stress marks for a word, offline', async () => {
    expect(await espeakPhonemiser.phonemise('hello', 'en-us')).toBe('həlˈoʊ');
  });

  it('speaks numbers as words and follows the language', async () => {
    expect(await espeakPhonemiser.phonemise('42', 'en-us')).toMatch(/^f.*t.*uː$/);
    const british = languageOfVoice('bf_emma')!;
    const american = languageOfVoice('af_heart')!;
    // Switching back and forth must really change the accent.
    for (let i = 0; i < 2; i++) {
      expect(await espeakPhonemiser.phonemise('tomato', american)).toBe('təmˈeɪɾoʊ');
      expect(await espeakPhonemiser.phonemise('tomato', british)).toBe('təmˈɑːtəʊ');
    }
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
