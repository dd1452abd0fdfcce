// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { extractText, rangeOf, type TextMap } from './extract';

function page(html: string): HTMLElement {
  document.body.innerHTML = html;
  return document.body;
}

/** Each word of the extracted text with the text of the DOM Range it maps to. */
function wordRanges(map: TextMap): [string, string][] {
  return [...map.text.matchAll(/\S+/g)].map((match) => [
    match[0],
    rangeOf(map, match.index, match.index + match[0].length)!.toString(),
  ]);
}

beforeEach(() => {
  document.head.innerHTML = '';
});

describe('extractText', () => {
  it('reads across nested inline markup and maps each word back to its text', () => {
    const map = extractText(
      page('<p>The <b>quick <i>br</i>own</b> <a href="#">fox</a> jumps.</p>'),
    );
    expect(map.text).toBe('The quick brown fox jumps.');
    expect(wordRanges(map)).toEqual([
      ['The', 'The'],
      ['quick', 'quick'],
      ['brown', 'brown'],
      ['fox', 'fox'],
      ['jumps.', 'jumps.'],
    ]);
  });

  it('decodes entities and reads &nbsp; as a space, mapping past it', () => {
    const map = extractText(page('<p>Fish&nbsp;&amp;&nbsp;chips &lt;3&#8239;</p>'));
    expect(map.text).toBe('Fish & chips <3');
    expect(wordRanges(map).map(([, range]) => range)).toEqual(['Fish', '&', 'chips', '<3']);
  });

  it('collapses whitespace and puts blocks on their own lines', () => {
    const map = extractText(page('<h1>  Title </h1>\n\n<p>One\n   two</p><ul><li>three</li></ul>'));
    expect(map.text).toBe('Title\nOne two\nthree');
  });

  it('neither reads nor maps hidden text', () => {
    document.head.innerHTML = '<style>.gone { display: none }</style>';
    const map = extractText(
      page(
        '<p>Seen <span hidden>hidden</span><span aria-hidden="true">aria</span>' +
          '<span style="display:none">none</span><span class="gone">styled</span>' +
          '<span style="visibility:hidden">invisible</span><script>code()</script>here.</p>',
      ),
    );
    expect(map.text).toBe('Seen here.');
    expect(map.nodes.map((node) => node.data)).toEqual(['Seen ', 'here.']);
  });

  it('maps a repeated word to each of its own places', () => {
    const map = extractText(page('<p>the cat <em>the</em> hat <span>the</span></p>'));
    const ranges = [...map.text.matchAll(/the/g)].map((m) => rangeOf(map, m.index, m.index + 3)!);
    expect(ranges.map((range) => range.startContainer.parentElement!.tagName)).toEqual([
      'P',
      'EM',
      'SPAN',
    ]);
    expect(ranges.map((range) => range.toString())).toEqual(['the', 'the', 'the']);
  });

  it('reads only the selected part of the text nodes a selection touches', () => {
    const body = page('<p id="a">Before the <b>selected words</b> and after.</p>');
    const p = body.querySelector('#a')!;
    const range = document.createRange();
    range.setStart(p.firstChild!, 7);
    range.setEnd(p.lastChild!, 4);
    const map = extractText(range.commonAncestorContainer, { within: range });
    expect(map.text).toBe('the selected words and');
    expect(wordRanges(map).map(([, text]) => text)).toEqual(['the', 'selected', 'words', 'and']);
  });

  it('maps a span that ends in a block separator to the text before it', () => {
    const map = extractText(page('<p>One</p><p>Two</p>'));
    expect(map.text).toBe('One\nTwo');
    expect(rangeOf(map, 0, 4)!.toString()).toBe('One');
    expect(rangeOf(map, 3, 4)).toBeUndefined();
  });
});
