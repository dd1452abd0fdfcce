// Kokoro's pad token: BOS at the start of every sequence and EOS at the end.
export const PAD_ID = 0;

export class Vocabulary {
  private readonly ids: ReadonlyMap<string, number>;

  // `vocab` is config.json's symbol -> id table.
  constructor(vocab: Record<string, number>) {
    this.ids = new Map(Object.entries(vocab));
  }

  // One id per known symbol; unknown symbols are dropped, as Kokoro's own tokenizer does.
  encode(symbols: string): number[] {
    const out: number[] = [];
    for (const symbol of symbols) {
      const id = this.ids.get(symbol);
      if (id !== undefined) out.push(id);
    }
    return out;
  }
}
