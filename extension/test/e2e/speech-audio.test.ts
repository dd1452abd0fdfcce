import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOggVorbis } from '../../../hf-handler/src/audio/ogg';
import { CHROMIUM } from './browser';

const RATE = 24_000;
/** When the test signal's bursts start, in ms: word timings are read against these. */
const BURSTS_MS = [400, 1275, 2950];
const LENGTH_MS = 3500;

/** Silence with a 20 ms 1 kHz burst at each of BURSTS_MS. */
function bursts(): Float32Array {
  const samples = new Float32Array((RATE * LENGTH_MS) / 1000);
  for (const ms of BURSTS_MS) {
    const start = (RATE * ms) / 1000;
    for (let i = 0; i < RATE / 50; i += 1)
      samples[start + i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE);
  }
  return samples;
}

/** Decodes base64 audio as Chromium's media stack does, at `rate`; returns its samples. */
const decodeInPage = async ({ data, rate }: { data: string; rate: number }) => {
  const bytes = Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
  const decoded = await new OfflineAudioContext(1, 1, rate).decodeAudioData(bytes.buffer);
  return Array.from(decoded.getChannelData(0));
};

// The handler's Ogg Vorbis in the browser that plays it: word times stay where the samples put them.
describe("the handler's audio in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu'],
    });
  });
  afterAll(async () => browser?.close());

  it('decodes each burst within a millisecond of its place, and loses at most one Kokoro frame of the tail', async () => {
    const ogg = await encodeOggVorbis(bursts(), RATE);
    const page = await browser.newPage();
    const decoded = await page.evaluate(decodeInPage, { data: ogg.toString('base64'), rate: RATE });
    // Chromium may drop part of the last Vorbis block (measured: up to 19 ms), never add to it.
    const lostMs = LENGTH_MS - (decoded.length * 1000) / RATE;
    expect(lostMs).toBeGreaterThanOrEqual(0);
    expect(lostMs).toBeLessThan(25);
    const onsetsMs = BURSTS_MS.map((ms) => {
      const from = (RATE * (ms - 100)) / 1000;
      const onset = decoded.findIndex((s, i) => i >= from && Math.abs(s) > 0.25);
      return (onset * 1000) / RATE;
    });
    onsetsMs.forEach((onset, i) => expect(Math.abs(onset - BURSTS_MS[i]!)).toBeLessThan(1));
  });
});
