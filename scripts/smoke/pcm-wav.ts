/**
 * Silence as the PCM16 mono WAV the handler sent before it sent Ogg Vorbis: what the smoke test
 * must still read after a rollback, and the anchor the audio delivery bench compares against.
 */
export function silentPcmWav(durationMs: number, sampleRate = 24_000): Buffer {
  const dataBytes = Math.round((sampleRate * durationMs) / 1000) * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(dataBytes, 40);
  return wav;
}
