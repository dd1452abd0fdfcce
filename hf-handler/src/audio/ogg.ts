import { createOggEncoder } from 'wasm-media-encoders';

/** What the handler's audio is: Ogg Vorbis plays in every Chromium `<audio>`. */
export const SPEECH_AUDIO_MIME = 'audio/ogg';
// Quality 0 is about 30 kbit/s for Kokoro's 24 kHz speech, 1/13 of PCM16: users wait for the answer's bytes.
const VORBIS_QUALITY = 0;

/** One encoder for the process: instantiating its WebAssembly costs ~30 ms, configuring it anew almost nothing. */
let encoder: ReturnType<typeof createOggEncoder> | undefined;

/** Mono Ogg Vorbis of the samples; its last granule is their count, so its length is exact. */
export async function encodeOggVorbis(samples: Float32Array, sampleRate: number): Promise<Buffer> {
  const ogg = await (encoder ??= createOggEncoder().catch((error: unknown) => {
    encoder = undefined;
    throw error;
  }));
  // From here to the end nothing awaits, so two streams never interleave in the one encoder.
  ogg.configure({ channels: 1, sampleRate, vbrQuality: VORBIS_QUALITY });
  // Each call answers a view of the encoder's memory, which the next call overwrites: copy it first.
  const body = Buffer.from(ogg.encode([samples]));
  return Buffer.concat([body, Buffer.from(ogg.finalize())]);
}
