// Time to first audio for the ways tts could deliver speech, in Chromium under emulated networks.
// Inline: the audio as base64 in the JSON answer, played the way the offscreen player does. By URL,
// as from Supabase Storage: a JSON answer without the audio, which the audio element then streams
// from another host. Each comes as the PCM16 WAV the handler sent before (the anchor) and as the
// Ogg Vorbis it sends now. Both hosts are local, so the figures favour the URL: they leave out
// what Storage adds on the server (uploading a miss, signing a URL) and the TLS set-up to its host.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { synthesise } from '../../scripts/local-backend/fake-speech-endpoint';
import { silentPcmWav } from '../../scripts/smoke/pcm-wav';
import { CHUNK_SIZES } from '../src/content/chunk';
import { CHROMIUM } from '../test/e2e/browser';

/** Download bandwidth and round trip, as Chromium's network emulation applies them. */
const NETWORKS = [
  { name: 'broadband 50 Mbit/s, 20 ms', mbps: 50, latencyMs: 20 },
  { name: 'average 10 Mbit/s, 40 ms', mbps: 10, latencyMs: 40 },
  { name: 'mobile 4 Mbit/s, 80 ms', mbps: 4, latencyMs: 80 },
];
const RUNS = 5;

const listen = async (handler: RequestListener) => {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** The speech for the extension's first chunk, as the fake endpoint encodes it: a sentence-ended text of its size. */
function firstChunkSpeech() {
  const sentence = 'The river ran quietly past the old mill, where the children played. ';
  const text = sentence.repeat(Math.ceil(CHUNK_SIZES.first / sentence.length));
  return synthesise({ text: text.slice(0, CHUNK_SIZES.first).trim(), voice: 'af_heart', speed: 1 });
}

/** Plays the answer at `path` once in the page; milliseconds from the request to the audio playing. */
const timeToPlaying = async (path: string): Promise<number> => {
  const started = performance.now();
  const answer = (await (await fetch(`${path}?${Math.random()}`)).json()) as {
    audio: { mime: string; data?: string; url?: string };
  };
  const audio = new Audio();
  if (answer.audio.data) {
    const bytes = Uint8Array.from(atob(answer.audio.data), (char) => char.charCodeAt(0));
    audio.src = URL.createObjectURL(new Blob([bytes], { type: answer.audio.mime }));
  } else {
    audio.src = `${answer.audio.url}?${Math.random()}`;
  }
  await new Promise((resolve, reject) => {
    audio.addEventListener('playing', resolve, { once: true });
    audio.addEventListener('error', () => reject(new Error(audio.error?.message)), { once: true });
    audio.play().catch(reject);
  });
  const elapsed = performance.now() - started;
  audio.pause();
  return elapsed;
};

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function audioDelivery(): Promise<void> {
  const speech = await firstChunkSpeech();
  const audio = {
    wav: { mime: 'audio/wav', bytes: silentPcmWav(speech.durationMs) },
    ogg: { mime: speech.audio.mime, bytes: Buffer.from(speech.audio.data, 'base64') },
  };
  const formats = ['wav', 'ogg'] as const;
  const files = new Map(formats.map((format) => [`/speech.${format}`, audio[format]]));
  const storage = await listen((req, res) => {
    const { mime, bytes } = files.get(req.url?.split('?')[0] ?? '')!;
    res.writeHead(200, { 'content-type': mime, 'content-length': bytes.length });
    res.end(bytes);
  });
  // Each delivery in each format; the first is the anchor, what the handler sent before.
  const answers = new Map(
    (['inline', 'url'] as const).flatMap((delivery) =>
      formats.map((format) => {
        const { mime, bytes } = audio[format];
        const sent =
          delivery === 'inline'
            ? { mime, data: bytes.toString('base64') }
            : { mime, url: `${storage.origin}/speech.${format}` };
        return [`/${delivery}-${format}`, JSON.stringify({ ...speech, audio: sent })] as [
          string,
          string,
        ];
      }),
    ),
  );
  // The page and the answers share an origin; anything else is the page.
  const api = await listen((req, res) => {
    const answer = answers.get(req.url?.split('?')[0] ?? '');
    res.writeHead(200, { 'content-type': answer ? 'application/json' : 'text/html' });
    res.end(answer ?? '<!doctype html><title>delivery</title>');
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(api.origin);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
    console.log(
      `time to first audio, first chunk (${CHUNK_SIZES.first} characters, ${(speech.durationMs / 1000).toFixed(1)} s of audio), ` +
        `median of ${RUNS}, ratio to inline WAV (the anchor; goal: below 1). Answers: ` +
        [...answers]
          .map(([path, answer]) => `${path.slice(1)} ${kib(Buffer.byteLength(answer))}`)
          .join(', ') +
        `; files by URL: WAV ${kib(audio.wav.bytes.length)}, Ogg ${kib(audio.ogg.bytes.length)}`,
    );
    for (const network of NETWORKS) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: network.latencyMs,
        downloadThroughput: (network.mbps * 1e6) / 8,
        uploadThroughput: (network.mbps * 1e6) / 8,
      });
      const times = new Map([...answers.keys()].map((path) => [path, [] as number[]]));
      // One of each first, so that both hosts have an open connection, as during a reading.
      for (let run = 0; run <= RUNS; run += 1) {
        for (const [path, list] of times) {
          const ms = await page.evaluate(timeToPlaying, path);
          if (run > 0) list.push(ms);
        }
      }
      const anchor = median(times.get('/inline-wav')!);
      console.log(
        `  ${network.name.padEnd(28)} ` +
          [...times]
            .map(([path, list]) => {
              const ms = median(list);
              return `${path.slice(1)} ${Math.round(ms)} ms (${(ms / anchor).toFixed(2)})`;
            })
            .join(', '),
      );
    }
  } finally {
    await browser.close();
    await close(api.server);
    await close(storage.server);
  }
}
