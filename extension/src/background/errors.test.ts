import { describe, expect, it } from 'vitest';
import { ApiError, userMessage } from './errors';

const SITE = 'https://read-aloud.app';
const messageFor = (status: number, code = 'x') =>
  userMessage(new ApiError(status, code, 'internal detail'), SITE);

describe('userMessage', () => {
  it('says what to do for each failure the API answers with', () => {
    expect(messageFor(401).message).toMatch(/sign in/i);
    expect(messageFor(413).message).toMatch(/too long.*5000 characters/);
    expect(messageFor(429).message).toMatch(/wait a moment/i);
    for (const status of [500, 502, 503]) expect(messageFor(status).message).toMatch(/try again/i);
    expect(messageFor(0, 'network').message).toMatch(/cannot be reached/);
    expect(messageFor(0, 'nothing_to_read').message).toMatch(/no text to read/);
  });

  it('says where to upgrade when the quota is used up', () => {
    expect(messageFor(402, 'quota_exhausted')).toEqual({
      message: expect.stringMatching(/used all of this month/),
      link: { text: 'Upgrade', url: 'https://read-aloud.app/pricing' },
    });
  });

  it('never shows the server’s own wording or an unexpected error’s details', () => {
    expect(messageFor(402).message).not.toContain('internal detail');
    expect(userMessage(new Error('token=abc'), SITE).message).not.toContain('abc');
  });
});
