/** The tts response as DESIGN.md's API defines it, as the tests read it. */
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
  cached: boolean;
}
