// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { extractArticle } from './article';
import { rangeOf } from './extract';

const paragraph = (n: number) =>
  `<p>Paragraph ${n} tells the <em>long</em> story of the river, the town beside it and the ` +
  `people who fished there for generations, until the mill came and changed everything.</p>`;

describe('extractArticle', () => {
  it('reads the main article, not the navigation, and maps it to the live page', () => {
    document.body.innerHTML =
      '<nav><a href="/">Home</a> <a href="/about">About us</a></nav>' +
      `<article><h1>The river</h1>${[1, 2, 3, 4, 5, 6].map(paragraph).join('')}</article>` +
      '<footer>Copyright and cookie settings</footer>';
    const map = extractArticle(document)!;

    expect(map.text).toContain('Paragraph 1 tells the long story');
    expect(map.text).toContain('Paragraph 6');
    expect(map.text).not.toContain('About us');
    expect(map.text).not.toContain('cookie');
    const at = map.text.indexOf('long');
    const range = rangeOf(map, at, at + 4)!;
    expect(range.toString()).toBe('long');
    // The range is in the live page, not in Readability's clone.
    expect(range.startContainer.ownerDocument).toBe(document);
    expect(document.body.contains(range.startContainer)).toBe(true);
  });

  it('leaves the page as it was', () => {
    document.body.innerHTML = `<main><div>${[1, 2, 3, 4, 5].map(paragraph).join('')}</div></main>`;
    const before = document.body.innerHTML;
    extractArticle(document);
    expect(document.body.innerHTML).toBe(before);
  });

  it('finds no article on an empty page', () => {
    document.body.innerHTML = '';
    expect(extractArticle(document)).toBeUndefined();
  });
});
