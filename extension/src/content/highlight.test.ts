// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_NAME, WordHighlighter } from './highlight';

describe('WordHighlighter', () => {
  it('puts one range at a time under its name in the registry, and leaves the DOM alone', () => {
    document.body.innerHTML = '<p>Hello <b>world</b></p>';
    const before = document.body.innerHTML;
    const registry = new Map<string, { ranges: Range[] }>();
    const highlighter = new WordHighlighter({
      registry,
      create: (range) => ({ ranges: [range] }),
    });
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('b')!);

    highlighter.show(range);
    expect(registry.get(HIGHLIGHT_NAME)!.ranges.map(String)).toEqual(['world']);
    highlighter.clear();
    expect(registry.has(HIGHLIGHT_NAME)).toBe(false);
    expect(document.body.innerHTML).toBe(before);
  });
});
