// `npm run bench -w extension`: bundle sizes, the cost of a highlight tick, the time from the click
// to the first audible sample against the local backend, and the time to first audio of speech
// inline and by URL, as Ogg and as WAV, under emulated networks. It prints; it asserts nothing.
import { JSDOM } from 'jsdom';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createUser } from '../../scripts/local-backend/users';
import { DEFAULT_VOICE, type SpeechWord } from '../../speech/index.ts';
import { buildExtension } from '../build/build';
import { audioDelivery } from './audio-delivery';
import { extractText, rangeOf } from '../src/content/extract';
import { WordHighlighter } from '../src/content/highlight';
import { HighlightScheduler } from '../src/content/schedule';
import {
  chooseVoice,
  firstSoundAt,
  launchWithExtension,
  readAloud,
  signIn,
  status,
  waitFor,
} from '../test/e2e/browser';
import { servePages } from '../test/e2e/pages';
import type { Settings } from '../src/messages';
import { startSpeechStack } from '../test/e2e/speech-stack';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function bundleSizes(): Promise<void> {
  const outDir = await mkdtemp(join(tmpdir(), 'extension-bench-'));
  try {
    await buildExtension(
      {
        stack: 'bench',
        supabaseUrl: 'https://abcdefghijklmnop.supabase.co',
        anonKey: 'anon',
        version: '1.0.0',
        siteUrl: 'https://read-aloud.app',
      },
      { outDir },
    );
    console.log('bundle sizes (minified / gzip)');
    let total = 0;
    for (const file of (await readdir(outDir)).sort()) {
      const bytes = await readFile(join(outDir, file));
      const gzip = gzipSync(bytes, { level: 9 }).length;
      total += gzip;
      console.log(`  ${file.padEnd(16)} ${kb(bytes.length).padStart(10)} ${kb(gzip).padStart(10)}`);
    }
    console.log(`  ${'total gzip'.padEnd(16)} ${''.padStart(10)} ${kb(total).padStart(10)}`);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** One tick that changes the word: find it from the clock, map it to a Range, set the highlight. */
function highlightTick(): void {
  const paragraph =
    'The <b>quick</b> brown fox <i>jumps over the <a href="#">lazy</a></i> dog&nbsp;again. ';
  const { window } = new JSDOM(`<article>${`<p>${paragraph.repeat(20)}</p>`.repeat(50)}</article>`);
  const map = extractText(window.document.body);
  const words: SpeechWord[] = [...map.text.matchAll(/\S+/g)].map((match, i) => ({
    text: match[0],
    start: i * 200,
    end: i * 200 + 180,
    charStart: match.index,
    charEnd: match.index + match[0].length,
  }));
  const registry = new Map<string, unknown>();
  const highlighter = new WordHighlighter({ registry, create: (range) => new Set([range]) });
  const scheduler = new HighlightScheduler(words, (index) => {
    const word = words[index];
    const range = word && rangeOf(map, word.charStart, word.charEnd);
    if (range) highlighter.show(range);
  });
  // A paused clock gives the exact position, so that the word changes on every measured tick.
  const at = (ms: number) => ({ positionMs: ms, at: 0, playing: false });
  for (let i = 0; i < 2000; i++) scheduler.tick(at(i * 200 + 1), 0); // warm up
  const ticks = words.length;
  const started = performance.now();
  for (let i = 0; i < ticks; i++) scheduler.tick(at(i * 200 + 1), 0);
  const perTick = (performance.now() - started) / ticks;
  console.log(
    `highlight tick in jsdom (${words.length} words, ${map.text.length} characters, word changes every tick): ${(perTick * 1000).toFixed(1)} µs`,
  );
}

async function clickToFirstSound(): Promise<void> {
  const [stack, pages] = await Promise.all([startSpeechStack(), servePages()]);
  const outDir = await mkdtemp(join(tmpdir(), 'extension-bench-'));
  const stops: (() => Promise<unknown>)[] = [
    () => stack.stop(),
    () => pages.stop(),
    () => rm(outDir, { recursive: true, force: true }),
  ];
  try {
    await buildExtension(
      {
        stack: 'bench',
        supabaseUrl: stack.backend.url,
        anonKey: 'local-anon-key',
        version: '0.0.1',
        siteUrl: 'https://read-aloud.test',
      },
      { outDir, testHooks: true },
    );
    const browser = await launchWithExtension(outDir);
    stops.unshift(() => browser.stop());
    const userId = await createUser(stack.backend.sql, 'bench@example.com');
    await signIn(browser.worker, await stack.backend.signToken(userId), userId);
    const page = await browser.context.newPage();
    await page.goto(pages.url('/article'));
    console.log('click to first audible sample (local backend, real handler on its tiny model)');
    // The first click starts everything cold; the second is a hit; the third, at another speed, a
    // miss with everything warm.
    const runs: [string, Settings | undefined][] = [
      ['cold miss', undefined],
      ['hit', undefined],
      ['warm miss', { voice: DEFAULT_VOICE, speed: 1.25 }],
    ];
    for (const [run, settings] of runs) {
      if (settings) await chooseVoice(browser.worker, settings);
      const clickedAt = Date.now();
      await readAloud(browser.worker, page);
      const soundAt = await waitFor('the first sound', () => firstSoundAt(browser.worker));
      console.log(`  ${run.padEnd(10)} ${Math.round(soundAt - clickedAt)} ms`);
      await waitFor('the end of reading', async () =>
        (await status(browser.worker))?.state === 'idle' ? true : undefined,
      );
    }
  } finally {
    for (const stop of stops) await stop();
  }
}

async function main() {
  await bundleSizes();
  highlightTick();
  await clickToFirstSound();
  await audioDelivery();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
