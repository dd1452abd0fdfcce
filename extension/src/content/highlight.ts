/** The name the page's `::highlight()` rule and the registry share. */
export const HIGHLIGHT_NAME = 'read-aloud-word';

export interface HighlightApi {
  registry: { set(name: string, highlight: unknown): unknown; delete(name: string): unknown };
  create(range: Range): unknown;
}

/** The CSS Custom Highlight API of the window the content script runs in. */
export function pageHighlightApi(): HighlightApi {
  // TypeScript's DOM library leaves out the registry's Map methods that browsers implement.
  const registry = CSS.highlights as unknown as Map<string, Highlight>;
  return { registry, create: (range) => new Highlight(range) };
}

/** Shows one word at a time through the CSS Custom Highlight API; the page's DOM is untouched. */
export class WordHighlighter {
  constructor(private readonly api: HighlightApi) {}

  show(range: Range): void {
    this.api.registry.set(HIGHLIGHT_NAME, this.api.create(range));
  }

  clear(): void {
    this.api.registry.delete(HIGHLIGHT_NAME);
  }
}
