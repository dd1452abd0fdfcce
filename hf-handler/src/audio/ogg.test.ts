import { describe, expect, it } from 'vitest';
import { oggFormat } from '../../testing/ogg-format';
import { encodeOggVorbis } from './ogg';

const RATE = 24_000;
/** A 220 Hz tone, by default a second of it and an odd tail, so that the length is no whole block. */
const tone = (length = RATE + 123) =>
  Float32Array.from({ length }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / RATE));

describe('encodeOggVorbis', () => {
  it('writes mono Ogg Vorbis at the given rate that lasts exactly as many samples as it was given', async () => {
    const samples = tone();
    const ogg = await encodeOggVorbis(samples, RATE);
    expect(await oggFormat(ogg)).toMatchObject({
      container: 'Ogg',
      codec: 'Vorbis I',
      numberOfChannels: 1,
      sampleRate: RATE,
      numberOfSamples: samples.length,
    });
  });

  it('is a fraction of the PCM16 it replaces, and encoders running at once do not mix their output', async () => {
    const samples = tone(RATE * 5);
    const alone = await encodeOggVorbis(samples, RATE);
    const together = await Promise.all([
      encodeOggVorbis(samples, RATE),
      encodeOggVorbis(tone(RATE), RATE),
    ]);
    expect(alone.length).toBeLessThan((samples.length * 2) / 8);
    // Streams differ only in their random serial numbers (and so the pages' checksums), not in size.
    expect(together[0].length).toBe(alone.length);
  });
});
