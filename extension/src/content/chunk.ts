/** A piece of the text to request at once: `text.slice(start, end)`. */
export interface Chunk {
  start: number;
  end: number;
}

export interface ChunkSizes {
  /** The first chunk is short, so that audio starts quickly. */
  first: number;
  /** The most any chunk may hold; at most the contract's MAX_TEXT_CHARS. */
  rest: number;
}

/**
 * The whole answer must arrive before its audio plays, so the first chunk's size is the wait
 * before the first sound. Each later chunk may be twice the one before: it is requested when that
 * one starts, and arrives before it ends on any link above about 1 Mbit/s.
 */
export const CHUNK_SIZES: ChunkSizes = { first: 150, rest: 1500 };

/** Where a chunk of at most `limit` characters from `start` ends best: a sentence, a space, or the limit. */
function cutPoint(text: string, start: number, limit: number): number {
  const hardEnd = start + limit;
  if (hardEnd >= text.length) return text.length;
  const window = text.slice(start, hardEnd + 1);
  const sentence = /[.!?…]["'”’)\]]*\s|\n/g;
  let best = -1;
  for (let match = sentence.exec(window); match; match = sentence.exec(window)) {
    best = match.index + match[0].length - 1;
  }
  if (best > 0) return start + best;
  const space = window.search(/\s\S*$/);
  return space > 0 ? start + space : hardEnd;
}

/**
 * Splits text into chunks at sentence ends where possible, each at most twice the size of the one
 * before (from `first`, up to `rest`); whitespace between chunks is dropped.
 */
export function chunkText(text: string, sizes: ChunkSizes = CHUNK_SIZES): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  while (start < text.length) {
    while (start < text.length && /\s/.test(text[start]!)) start++;
    if (start >= text.length) break;
    const end = cutPoint(text, start, Math.min(sizes.rest, sizes.first * 2 ** chunks.length));
    let trimmed = end;
    while (trimmed > start && /\s/.test(text[trimmed - 1]!)) trimmed--;
    chunks.push({ start, end: trimmed });
    start = end;
  }
  return chunks;
}
