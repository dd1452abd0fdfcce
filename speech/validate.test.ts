import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VOICE,
  MAX_TEXT_CHARS,
  SPEED,
  checkSpeechRequest,
  speechProblem,
} from './index.ts';

describe('checkSpeechRequest', () => {
  it('fills in the default voice and speed', () => {
    expect(checkSpeechRequest({ text: 'Hello' })).toEqual({
      ok: true,
      request: { text: 'Hello', voice: DEFAULT_VOICE, speed: SPEED.default },
    });
  });

  it.each([
    [[1], 400, 'invalid_body'],
    [{ text: '  ' }, 400, 'empty_text'],
    [{ text: '\u200b\u2060 ' }, 400, 'empty_text'],
    [{ text: 'a\u0000b' }, 400, 'invalid_text'],
    [{ text: 'a\ud800b' }, 400, 'invalid_text'],
    [{ text: 'a\udc00' }, 400, 'invalid_text'],
    [{ text: 'x'.repeat(MAX_TEXT_CHARS + 1) }, 413, 'text_too_long'],
    [{ text: 'Hi', voice: 'zz_nobody' }, 400, 'unknown_voice'],
    [{ text: 'Hi', speed: SPEED.max + 0.1 }, 400, 'invalid_speed'],
    [{ text: 'Hi', speed: '1' }, 400, 'invalid_speed'],
  ])('rejects %j with %i %s', (body, status, code) => {
    expect(checkSpeechRequest(body)).toMatchObject({ ok: false, status, code });
  });

  it('accepts emoji and joined characters, whose surrogates are paired', () => {
    expect(checkSpeechRequest({ text: 'Hi 👋🏽 👨‍👩‍👧' }).ok).toBe(true);
  });

  it('takes a server’s own voices, default voice and length limit', () => {
    const limits = {
      voices: new Set(['bf_emma', 'am_adam']),
      defaultVoice: 'am_adam',
      maxTextChars: 3,
    };
    expect(checkSpeechRequest({ text: 'Hi' }, limits)).toMatchObject({
      ok: true,
      request: { voice: 'am_adam' },
    });
    expect(checkSpeechRequest({ text: 'Hey!' }, limits)).toMatchObject({ code: 'text_too_long' });
    expect(checkSpeechRequest({ text: 'Hi', voice: DEFAULT_VOICE }, limits)).toMatchObject({
      code: 'unknown_voice',
      message: '`voice` must be one of bf_emma, am_adam',
    });
  });

  it('accepts text of exactly the limit', () => {
    expect(checkSpeechRequest({ text: 'x'.repeat(MAX_TEXT_CHARS) }).ok).toBe(true);
  });
});

describe('speechProblem', () => {
  const text = 'Hello world';
  const speech = {
    audio: { mime: 'audio/wav', data: 'UklGRg==' },
    durationMs: 500,
    words: [
      { text: 'Hello', start: 0, end: 200, charStart: 0, charEnd: 5 },
      { text: 'world', start: 200, end: 450, charStart: 6, charEnd: 11 },
    ],
  };

  it('accepts speech whose words fit the text and the audio', () => {
    expect(speechProblem(text, speech)).toBeUndefined();
  });

  it('names a word whose offsets do not match its text', () => {
    const words = [speech.words[0], { ...speech.words[1]!, charStart: 5 }];
    expect(speechProblem(text, { ...speech, words })).toBe('word 1 does not match its offsets');
  });

  it('rejects words out of order and words past the audio', () => {
    expect(speechProblem(text, { ...speech, words: [...speech.words].reverse() })).toBe(
      'words are not in order',
    );
    expect(speechProblem(text, { ...speech, durationMs: 400 })).toBe('word 1 is outside the audio');
  });
});
