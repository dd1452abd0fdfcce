import { WaveFile } from 'wavefile';
import { describe, expect, it } from 'vitest';
import { encodeWavPcm16 } from './wav';

describe('encodeWavPcm16', () => {
  it('writes mono 16-bit PCM at the given rate, clipping what is out of range', () => {
    const wav = new WaveFile(encodeWavPcm16(Float32Array.of(0, 0.5, -0.5, 1, -1, 3, -3), 24_000));
    expect(wav.fmt).toMatchObject({
      audioFormat: 1,
      numChannels: 1,
      sampleRate: 24_000,
      bitsPerSample: 16,
    });
    expect(Array.from(wav.getSamples(false))).toEqual([
      0, 16383, -16384, 32767, -32768, 32767, -32768,
    ]);
  });
});
