import type { SpeechRequest, SpeechResponse } from '../../speech/index.ts';
import { encodeOggVorbis, SPEECH_AUDIO_MIME } from './audio/ogg';
import type { SpeechModel } from './model/kokoro';
import { languageOfVoice, type Phonemiser } from './phonemes/phonemiser';
import type { Vocabulary } from './phonemes/vocabulary';
import { chunkWords, MAX_CHUNK_TOKENS, type Chunk } from './text/chunks';
import { splitWords } from './text/words';
import { SAMPLE_RATE, wordTimings } from './timing/word-timings';

export interface Synthesiser {
  voices: ReadonlySet<string>;
  synthesise(request: SpeechRequest): Promise<SpeechResponse>;
}

// Phonemises each word on its own so that its token range is known, then packs the words into chunks.
export async function planChunks(
  text: string,
  language: string,
  vocabulary: Vocabulary,
  phonemiser: Phonemiser,
  maxTokens = MAX_CHUNK_TOKENS,
): Promise<Chunk[]> {
  const words = splitWords(text);
  const phonemes = await phonemiser.phonemise(
    words.map((word) => word.text),
    language,
  );
  const tokenised = words.map((word, i) => ({
    word,
    ids: vocabulary.encode(phonemes[i]! + word.trailing.replace(/\s+/g, '')),
    spaceAfter: /\s/.test(word.trailing),
  }));
  return chunkWords(tokenised, vocabulary.encode(' '), maxTokens);
}

export function createSynthesiser(model: SpeechModel, phonemiser: Phonemiser): Synthesiser {
  // Only the voices whose language the phonemiser speaks are offered.
  const voices = new Set([...model.voices].filter((voice) => languageOfVoice(voice)));
  return {
    voices,
    async synthesise({ text, voice, speed }) {
      const language = languageOfVoice(voice);
      if (!language || !voices.has(voice)) throw new Error(`voice ${voice} is not offered`);
      const chunks = await planChunks(text, language, model.vocabulary, phonemiser);
      const audio = [];
      for (const chunk of chunks) {
        const { waveform, durations } = await model.infer(chunk.ids, voice, speed);
        audio.push({ chunk, durations, samples: waveform.length, waveform });
      }
      const samples = new Float32Array(audio.reduce((n, a) => n + a.samples, 0));
      let at = 0;
      for (const a of audio) {
        samples.set(a.waveform, at);
        at += a.samples;
      }
      return {
        audio: {
          mime: SPEECH_AUDIO_MIME,
          data: (await encodeOggVorbis(samples, SAMPLE_RATE)).toString('base64'),
        },
        words: wordTimings(audio),
        durationMs: (samples.length * 1000) / SAMPLE_RATE,
      };
    },
  };
}
