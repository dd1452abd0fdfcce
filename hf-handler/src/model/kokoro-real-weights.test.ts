import { beforeAll, describe, expect, it } from 'vitest';
import {
  loadUntimedKokoro,
  REAL_KOKORO_DIR,
  REAL_KOKORO_FILE,
  REAL_KOKORO_VOICE,
  realKokoroAbsence,
  type UntimedKokoro,
} from '../../testing/real-kokoro';
import { oggFormat } from '../../testing/ogg-format';
import { encodeOggVorbis } from '../audio/ogg';
import { SAMPLE_RATE } from '../timing/word-timings';
import { loadKokoro } from './kokoro';

const absent = realKokoroAbsence();
if (absent) console.warn(`skipped the real-weights tests: ${absent}`);

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';
const WORDS = SENTENCE.split(' ').length;
const seconds = (samples: Float32Array) => samples.length / SAMPLE_RATE;
const rms = (samples: Float32Array) =>
  Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length);

// Weights from scripts/kokoro-weights.sh: Kokoro-82M int8, as exported by kokoro-onnx.
describe.skipIf(absent !== undefined)('Kokoro-82M real weights (.cache/kokoro)', () => {
  let kokoro: UntimedKokoro;
  beforeAll(async () => {
    kokoro = await loadUntimedKokoro();
  }, 120_000);

  it('are the export without durations: tokens, style, speed -> audio', () => {
    expect(kokoro.inputNames).toEqual(['tokens', 'style', 'speed']);
    expect(kokoro.outputNames).toEqual(['audio']);
  });

  it('are refused by the handler at load, since nothing in them times the words', async () => {
    await expect(loadKokoro(REAL_KOKORO_DIR, REAL_KOKORO_FILE)).rejects.toThrow(
      /is not Kokoro's timestamped export: it lacks input input_ids, output waveform, output durations/,
    );
  }, 120_000);

  it("speak the handler's phonemes of a sentence at a speaking pace, as Ogg Vorbis of that length, faster at speed 2", async () => {
    const samples = await kokoro.speak(SENTENCE, REAL_KOKORO_VOICE, 1);
    // People read aloud at 2 to 4 words a second; a broken feed gives silence, noise or a blip.
    expect(seconds(samples)).toBeGreaterThan(WORDS / 5);
    expect(seconds(samples)).toBeLessThan(WORDS / 1.5);
    expect(rms(samples)).toBeGreaterThan(0.02);
    const ogg = await encodeOggVorbis(samples, SAMPLE_RATE);
    expect((await oggFormat(ogg)).numberOfSamples).toBe(samples.length);
    const fast = seconds(await kokoro.speak(SENTENCE, REAL_KOKORO_VOICE, 2)) / seconds(samples);
    expect(fast).toBeGreaterThan(0.35);
    expect(fast).toBeLessThan(0.75);
  }, 300_000);
});
