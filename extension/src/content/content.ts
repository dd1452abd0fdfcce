import { config } from '../config';
import type { Extracted, PageMessage } from '../messages';
import { extractArticle } from './article';
import { chunkText, type Chunk } from './chunk';
import { extractText, rangeOf, type TextMap } from './extract';
import { HIGHLIGHT_NAME, WordHighlighter, pageHighlightApi } from './highlight';
import { HighlightScheduler, type AudioClock } from './schedule';

/** The selection's text, or the article's, or else the whole visible page's. */
function extract(): TextMap {
  const selection = document.getSelection();
  if (selection && !selection.isCollapsed && selection.rangeCount > 0) {
    const range = selection.getRangeAt(0);
    const map = extractText(range.commonAncestorContainer, { within: range });
    // The selection's colour would hide the word highlight.
    selection.removeAllRanges();
    if (map.text !== '') return map;
  }
  return extractArticle(document) ?? extractText(document.body);
}

/** Test builds write each highlight's text, as the registry holds it, onto <html> for the tests. */
function recordHighlight(chunk: number, positionMs: number): void {
  const highlight = (CSS.highlights as unknown as Map<string, Set<Range>>).get(HIGHLIGHT_NAME);
  const text = highlight ? [...highlight].map(String).join('') : '';
  const log = JSON.parse(document.documentElement.dataset.readAloudLog ?? '[]') as unknown[];
  log.push({ chunk, positionMs, text });
  document.documentElement.dataset.readAloudLog = JSON.stringify(log);
}

function start(): void {
  const highlighter = new WordHighlighter(pageHighlightApi());
  let map: TextMap | undefined;
  let chunks: Chunk[] = [];
  let reading: { chunk: number; scheduler: HighlightScheduler } | undefined;
  let clock: AudioClock | undefined;
  let frame: number | undefined;

  const tick = () => {
    frame = undefined;
    if (!reading || !clock) return;
    reading.scheduler.tick(clock, Date.now());
    if (clock.playing) frame = requestAnimationFrame(tick);
  };
  const stop = () => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    frame = undefined;
    reading = undefined;
    clock = undefined;
    highlighter.clear();
  };

  chrome.runtime.onMessage.addListener((message: PageMessage, _sender, respond) => {
    switch (message.type) {
      case 'extract': {
        stop();
        map = extract();
        chunks = chunkText(map.text);
        const text = map.text;
        respond({
          chunks: chunks.map(({ start, end }) => text.slice(start, end)),
        } satisfies Extracted);
        return false;
      }
      case 'words': {
        const { chunk, words } = message;
        const offset = chunks[chunk]?.start ?? 0;
        clock = undefined;
        reading = {
          chunk,
          scheduler: new HighlightScheduler(words, (index, positionMs) => {
            const word = words[index];
            const range =
              word && map && rangeOf(map, offset + word.charStart, offset + word.charEnd);
            if (range) highlighter.show(range);
            else highlighter.clear();
            if (config.testHooks && range) recordHighlight(chunk, positionMs);
          }),
        };
        return false;
      }
      case 'clock':
        if (reading?.chunk !== message.chunk) return false;
        clock = message.clock;
        if (frame === undefined) tick();
        return false;
      case 'finished':
        stop();
        return false;
    }
  });
}

// The service worker injects this script each time reading starts; one listener is enough.
const key = '__readAloudStarted';
if (!(globalThis as Record<string, unknown>)[key]) {
  (globalThis as Record<string, unknown>)[key] = true;
  start();
}
