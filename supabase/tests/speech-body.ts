// A copy of the functions' Deno types (speech.ts), which the Node type check cannot load.
/** The tts response: the same whether it came from the cache or the endpoint. */
export interface Word {
  text: string;
  start: number;
  end: number;
  charStart: number;
  charEnd: number;
}

export interface SpeechBody {
  audio: { mime: string; data: string };
  words: Word[];
  durationMs: number;
}
