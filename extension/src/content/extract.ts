/** The text to speak, and where each of its characters lives in the page. */
export interface TextMap {
  text: string;
  /** The text nodes the characters came from. */
  nodes: Text[];
  /** Per character of `text`: the index into `nodes`, or -1 for a separator the page lacks. */
  nodeOf: Int32Array;
  /** Per character of `text`: the offset in its node. */
  offsetOf: Int32Array;
}

export interface ExtractOptions {
  /** Only the part of each text node inside this range (a selection). */
  within?: Range;
  /** Only the text nodes this accepts (an article's). */
  accept?: (text: Text) => boolean;
}

const NEVER_READ = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'TEXTAREA',
  'SELECT',
  'IFRAME',
  'OBJECT',
  'SVG',
  'CANVAS',
  'HEAD',
]);
const BLOCK_TAGS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BR',
  'DD',
  'DIV',
  'DL',
  'DT',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'TABLE',
  'TD',
  'TH',
  'TR',
  'UL',
]);
const WHITESPACE = /[\s\u00a0]/;

/** Hidden from everyone, sighted or not: such text is neither read nor highlighted. */
function isHidden(element: Element): boolean {
  if (NEVER_READ.has(element.tagName.toUpperCase())) return true;
  if (element.hasAttribute('hidden') || element.getAttribute('aria-hidden') === 'true') return true;
  return element.ownerDocument.defaultView?.getComputedStyle(element).display === 'none';
}

function isBlock(element: Element): boolean {
  const display = element.ownerDocument.defaultView?.getComputedStyle(element).display;
  return (
    BLOCK_TAGS.has(element.tagName.toUpperCase()) ||
    (!!display && !display.startsWith('inline') && display !== 'contents')
  );
}

function isInvisible(text: Text): boolean {
  const parent = text.parentElement;
  if (!parent) return false;
  const visibility = parent.ownerDocument.defaultView?.getComputedStyle(parent).visibility;
  return visibility === 'hidden' || visibility === 'collapse';
}

/**
 * The visible text under `root` with whitespace collapsed as a reader hears it (entities decoded,
 * `&nbsp;` a space, blocks on their own lines), mapped character by character to the DOM.
 */
export function extractText(root: Node, { within, accept }: ExtractOptions = {}): TextMap {
  const chars: string[] = [];
  const nodes: Text[] = [];
  const nodeOf: number[] = [];
  const offsetOf: number[] = [];
  const separate = () => {
    const last = chars.length - 1;
    if (last < 0 || chars[last] === '\n') return;
    if (chars[last] === ' ') chars[last] = '\n';
    else {
      chars.push('\n');
      nodeOf.push(-1);
      offsetOf.push(-1);
    }
  };
  const addText = (text: Text) => {
    if (
      (within && !within.intersectsNode(text)) ||
      (accept && !accept(text)) ||
      isInvisible(text)
    ) {
      return;
    }
    const from = within?.startContainer === text ? within.startOffset : 0;
    const to = within?.endContainer === text ? within.endOffset : text.data.length;
    let index = -1;
    for (let offset = from; offset < to; offset++) {
      const char = text.data[offset]!;
      const space = WHITESPACE.test(char);
      if (space && (chars.length === 0 || WHITESPACE.test(chars[chars.length - 1]!))) continue;
      if (index < 0) index = nodes.push(text) - 1;
      chars.push(space ? ' ' : char);
      nodeOf.push(index);
      offsetOf.push(offset);
    }
  };
  const visit = (node: Node) => {
    if (node.nodeType === 3) addText(node as Text);
    else if (node.nodeType === 1 || node.nodeType === 9 || node.nodeType === 11) {
      const element = node.nodeType === 1 ? (node as Element) : undefined;
      if (element && isHidden(element)) return;
      const block = element !== undefined && isBlock(element);
      if (block) separate();
      for (let child = node.firstChild; child; child = child.nextSibling) visit(child);
      if (block) separate();
    }
  };
  visit(root);
  while (chars.length > 0 && WHITESPACE.test(chars[chars.length - 1]!)) {
    chars.pop();
    nodeOf.pop();
    offsetOf.pop();
  }
  return {
    text: chars.join(''),
    nodes,
    nodeOf: Int32Array.from(nodeOf),
    offsetOf: Int32Array.from(offsetOf),
  };
}

/** The DOM Range of `text.slice(charStart, charEnd)`, across however many nodes it spans. */
export function rangeOf(map: TextMap, charStart: number, charEnd: number): Range | undefined {
  let first = Math.max(0, charStart);
  let last = Math.min(charEnd, map.text.length) - 1;
  while (first <= last && map.nodeOf[first]! < 0) first++;
  while (last >= first && map.nodeOf[last]! < 0) last--;
  if (first > last) return undefined;
  const start = map.nodes[map.nodeOf[first]!]!;
  const range = start.ownerDocument.createRange();
  range.setStart(start, map.offsetOf[first]!);
  range.setEnd(map.nodes[map.nodeOf[last]!]!, map.offsetOf[last]! + 1);
  return range;
}
