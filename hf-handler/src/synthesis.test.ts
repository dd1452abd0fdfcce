import { describe, expect, it } from 'vitest';
import { letterPhonemiser } from '../testing/letter-phonemiser';
import { oggFormat } from '../testing/ogg-format';
import { useTinyKokoro } from '../testing/tiny-kokoro-fixture';
import type { SpeechModel } from './model/kokoro';
import { espeakPhonemiser } from './phonemes/phonemiser';
import { createSynthesiser } from './synthesis';
import { MAX_CHUNK_TOKENS } from './text/chunks';
import { splitWords } from './text/words';

const tiny = useTinyKokoro();

const audioFormat = (base64: string) => oggFormat(Buffer.from(base64, 'base64'));

describe('createSynthesiser on the tiny model', () => {
  it('offers only the voices whose language it can phonemise', async () => {
    const synthesiser = createSynthesiser(tiny.model, espeakPhonemiser);
    expect([...synthesiser.voices].sort()).toEqual(['af_tiny', 'bf_tiny']);
    await expect(
      synthesiser.synthesise({ text: 'Bonjour.', voice: 'ff_tiny', speed: 1 }),
    ).rejects.toThrow(/not offered/);
  });

  it('returns 24 kHz mono Ogg Vorbis whose length is durationMs, and word times inside it', async () => {
    const text = 'Hello, world! It costs 42 dollars; hello again.';
    const result = await createSynthesiser(tiny.model, espeakPhonemiser).synthesise({
      text,
      voice: 'af_tiny',
      speed: 1,
    });
    expect(result.audio.mime).toBe('audio/ogg');
    expect(await audioFormat(result.audio.data)).toMatchObject({
      codec: 'Vorbis I',
      numberOfChannels: 1,
      sampleRate: 24_000,
      numberOfSamples: (result.durationMs * 24_000) / 1000,
    });
    expect(result.words.map((w) => text.slice(w.charStart, w.charEnd))).toEqual(
      result.words.map((w) => w.text),
    );
    expect(result.words.map((w) => w.text)).toEqual(splitWords(text).map((w) => w.text));
    expect(result.words.at(-1)!.end).toBeLessThanOrEqual(result.durationMs);
  });

  it('speaks text longer than one context in several model runs with continuous times', async () => {
    const runs: number[] = [];
    const counting: SpeechModel = {
      ...tiny.model,
      infer: (ids, voice, speed) => {
        runs.push(ids.length - 2);
        return tiny.model.infer(ids, voice, speed);
      },
    };
    const text = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const result = await createSynthesiser(counting, letterPhonemiser).synthesise({
      text,
      voice: 'bf_tiny',
      speed: 1.5,
    });
    expect(runs.length).toBeGreaterThan(1);
    for (const tokens of runs) expect(tokens).toBeLessThanOrEqual(MAX_CHUNK_TOKENS);
    expect(result.words).toHaveLength(splitWords(text).length);
    result.words.forEach((w, i) => {
      if (i > 0) expect(w.start).toBe(result.words[i - 1]!.end);
      expect(w.end).toBeGreaterThan(w.start);
    });
    expect(result.words.at(-1)!.end).toBeLessThanOrEqual(result.durationMs);
    expect((await audioFormat(result.audio.data)).numberOfSamples).toBe(
      (result.durationMs * 24_000) / 1000,
    );
  });
});
