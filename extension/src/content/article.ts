import { Readability } from '@mozilla/readability';
import { extractText, type TextMap } from './extract';

function textNodes(root: Node): Text[] {
  const walker = (root.ownerDocument ?? (root as Document)).createTreeWalker(root, 4);
  const texts: Text[] = [];
  while (walker.nextNode()) texts.push(walker.currentNode as Text);
  return texts;
}

/**
 * The page's main article, as Readability finds it on a clone of the document, mapped back to
 * the live page's text nodes so that highlights land on the real text; undefined if none.
 */
export function extractArticle(document: Document): TextMap | undefined {
  const clone = document.cloneNode(true) as Document;
  const live = textNodes(document);
  const liveIndex = new Map<Node, number>(textNodes(clone).map((text, i) => [text, i]));
  const article = new Readability(clone, { serializer: (element: Node) => element }).parse();
  if (!article?.content) return undefined;

  // Readability moves most text nodes; those it re-creates are found by their text, in order.
  const kept = new Set<Text>();
  let next = 0;
  for (const text of textNodes(article.content)) {
    let index = liveIndex.get(text);
    if (index === undefined && text.data.trim() !== '') {
      const found = live.findIndex((candidate, i) => i >= next && candidate.data === text.data);
      index = found < 0 ? undefined : found;
    }
    if (index === undefined) continue;
    kept.add(live[index]!);
    next = index + 1;
  }
  const map = extractText(document.body, { accept: (text) => kept.has(text) });
  return map.text === '' ? undefined : map;
}
