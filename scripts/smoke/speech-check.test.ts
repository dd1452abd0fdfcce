import { describe, expect, it } from 'vitest';
import { encodeOggVorbis } from '../../hf-handler/src/audio/ogg';
import { silentPcmWav } from './pcm-wav';
import { audioProblem } from './speech-check';

const RATE = 24_000;
/** 1.5 s of a tone, as the handler would encode it. */
const DURATION_MS = 1500;
const ogg = async () =>
  encodeOggVorbis(
    Float32Array.from({ length: (RATE * DURATION_MS) / 1000 }, (_, i) => 0.3 * Math.sin(i / 5)),
    RATE,
  );
const audio = (mime: string, bytes: Buffer) => ({ mime, data: bytes.toString('base64') });

describe('audioProblem', () => {
  it('passes Ogg Vorbis that lasts the stated duration, and says by how much one does not', async () => {
    const bytes = await ogg();
    expect(audioProblem(audio('audio/ogg', bytes), DURATION_MS)).toBeUndefined();
    expect(audioProblem(audio('audio/ogg', bytes), DURATION_MS + 5)).toBe(
      'audio lasts 1500.0 ms, the response says 1505 ms',
    );
  });

  it('still reads the PCM WAV of releases before Ogg, which a rollback brings back', () => {
    expect(
      audioProblem(audio('audio/wav', silentPcmWav(DURATION_MS)), DURATION_MS),
    ).toBeUndefined();
    expect(audioProblem(audio('audio/wav', silentPcmWav(DURATION_MS)), 900)).toMatch(
      /audio lasts 1500/,
    );
  });

  it.each<[string, (bytes: Buffer) => Buffer, string]>([
    ['a truncated stream', (b) => b.subarray(0, b.length - 100), 'audio is truncated'],
    ['a stream cut between pages', (b) => b.subarray(0, 58), 'audio is truncated'],
    [
      'no Ogg at all',
      () => Buffer.from('not audio at all, just words'),
      'audio is not an Ogg stream',
    ],
    ['a WAV called Ogg', () => silentPcmWav(DURATION_MS), 'audio is not an Ogg stream'],
    [
      'Ogg that is not Vorbis',
      (b) => Buffer.concat([b.subarray(0, 28), Buffer.from('\x01opus!!'), b.subarray(35)]),
      'audio is not Vorbis',
    ],
  ])('names what is wrong with %s', async (_, breaks, problem) => {
    expect(audioProblem(audio('audio/ogg', breaks(await ogg())), DURATION_MS)).toBe(problem);
  });

  it('refuses audio of a type it cannot read', () => {
    expect(audioProblem(audio('audio/mpeg', Buffer.from('ID3')), DURATION_MS)).toBe(
      'audio is audio/mpeg, not one of audio/ogg, audio/wav',
    );
  });
});
