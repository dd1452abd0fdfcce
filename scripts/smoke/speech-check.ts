import { speechProblem, type SpeechResponse } from '../../speech/index.ts';

/** Within this much the audio's own length must match the stated duration (under one sample block). */
const DURATION_SLACK_MS = 1;

/**
 * Decodes a base64 PCM WAV and checks it lasts `durationMs`; returns the problem, or undefined.
 * Walks the RIFF chunks, so a header the handler grows later still decodes.
 */
export function wavProblem(base64: string, durationMs: number): string | undefined {
  const wav = Buffer.from(base64, 'base64');
  if (wav.length < 12 || wav.toString('latin1', 0, 4) !== 'RIFF') return 'audio is not a RIFF file';
  if (wav.toString('latin1', 8, 12) !== 'WAVE') return 'audio is not WAVE';
  let format: { channels: number; sampleRate: number; bits: number } | undefined;
  for (let at = 12; at + 8 <= wav.length;) {
    const id = wav.toString('latin1', at, at + 4);
    const size = wav.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 24 <= wav.length) {
      if (wav.readUInt16LE(at + 8) !== 1) return 'audio is not PCM';
      format = {
        channels: wav.readUInt16LE(at + 10),
        sampleRate: wav.readUInt32LE(at + 12),
        bits: wav.readUInt16LE(at + 22),
      };
    }
    if (id === 'data') {
      if (format === undefined) return 'audio has data before its format';
      if (at + 8 + size > wav.length) return 'audio is truncated';
      const frames = size / (format.channels * (format.bits / 8));
      const ms = (frames / format.sampleRate) * 1000;
      return Math.abs(ms - durationMs) <= DURATION_SLACK_MS
        ? undefined
        : `audio lasts ${ms.toFixed(1)} ms, the response says ${durationMs} ms`;
    }
    at += 8 + size + (size % 2);
  }
  return 'audio has no data chunk';
}

/** The speech contract for `text`: a well-formed body, words in order inside the text, audio that decodes. */
export function speechContractProblem(text: string, body: unknown): string | undefined {
  const problem = speechProblem(text, body);
  if (problem !== undefined) return problem;
  const speech = body as SpeechResponse;
  if (speech.words.length === 0) return 'no words';
  return wavProblem(speech.audio.data, speech.durationMs);
}
