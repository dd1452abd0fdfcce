import { WaveFile } from 'wavefile';

// Mono PCM16 WAV: what every browser's <audio> plays.
export function encodeWavPcm16(samples: Float32Array, sampleRate: number): Buffer {
  const wav = new WaveFile();
  wav.fromScratch(1, sampleRate, '32f', samples);
  wav.toBitDepth('16');
  return Buffer.from(wav.toBuffer());
}
