import { speechProblem, type SpeechResponse } from '../../speech/index.ts';

/** Within this much the audio's own length must match the stated duration (under one sample block). */
const DURATION_SLACK_MS = 1;

/** A problem with the audio, or its length in samples at its rate. */
type AudioLength = string | { samples: number; sampleRate: number };

/**
 * The length of a PCM WAV, which handlers before Ogg sent and a rollback may bring back.
 * Walks the RIFF chunks, so a header the handler grows later still decodes.
 */
function wavLength(wav: Buffer): AudioLength {
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
      return {
        samples: size / (format.channels * (format.bits / 8)),
        sampleRate: format.sampleRate,
      };
    }
    at += 8 + size + (size % 2);
  }
  return 'audio has no data chunk';
}

/**
 * The length of an Ogg Vorbis stream: its rate from the identification header on the first page,
 * its samples from the granule position of the page that ends the stream.
 */
function oggVorbisLength(ogg: Buffer): AudioLength {
  let sampleRate: number | undefined;
  for (let at = 0; at < ogg.length;) {
    if (ogg.toString('latin1', at, at + 4) !== 'OggS') {
      return at === 0 ? 'audio is not an Ogg stream' : 'audio has a broken Ogg page';
    }
    if (at + 27 > ogg.length) return 'audio is truncated';
    const segments = ogg[at + 26]!;
    const body = at + 27 + segments;
    const end = body + ogg.subarray(at + 27, body).reduce((sum, lacing) => sum + lacing, 0);
    if (end > ogg.length) return 'audio is truncated';
    if (at === 0) {
      if (ogg.toString('latin1', body, body + 7) !== '\x01vorbis') return 'audio is not Vorbis';
      sampleRate = ogg.readUInt32LE(body + 12);
    }
    // The last page, flagged as the end of the stream, counts every sample before it.
    if (ogg[at + 5]! & 0x04)
      return { samples: Number(ogg.readBigInt64LE(at + 6)), sampleRate: sampleRate! };
    at = end;
  }
  return 'audio is truncated';
}

const AUDIO_LENGTHS: Record<string, (audio: Buffer) => AudioLength> = {
  'audio/ogg': oggVorbisLength,
  'audio/wav': wavLength,
};

/** Reads the base64 audio as its mime says and checks it lasts `durationMs`; returns the problem, or undefined. */
export function audioProblem(
  { mime, data }: SpeechResponse['audio'],
  durationMs: number,
): string | undefined {
  const lengthOf = AUDIO_LENGTHS[mime];
  if (lengthOf === undefined)
    return `audio is ${mime}, not one of ${Object.keys(AUDIO_LENGTHS).join(', ')}`;
  const length = lengthOf(Buffer.from(data, 'base64'));
  if (typeof length === 'string') return length;
  const ms = (length.samples / length.sampleRate) * 1000;
  return Math.abs(ms - durationMs) <= DURATION_SLACK_MS
    ? undefined
    : `audio lasts ${ms.toFixed(1)} ms, the response says ${durationMs} ms`;
}

/** The speech contract for `text`: a well-formed body, words in order inside the text, audio that decodes. */
export function speechContractProblem(text: string, body: unknown): string | undefined {
  const problem = speechProblem(text, body);
  if (problem !== undefined) return problem;
  const speech = body as SpeechResponse;
  if (speech.words.length === 0) return 'no words';
  return audioProblem(speech.audio, speech.durationMs);
}
