// The package ships no types: only what the phonemiser calls, from its Emscripten glue.
declare module '@echogarden/espeak-ng-emscripten' {
  export interface EspeakWorker {
    /** 0 when the voice is set. */
    set_voice(name: string): number;
    /** A pointer to a new C string: the clauses joined by " | ", phonemes within a word by "_". */
    text_to_phonemes(text: string, useIpa: number): object;
  }
  export interface EspeakModule {
    eSpeakNGWorker: new () => EspeakWorker;
    HEAPU8: Uint8Array;
    getPointer(wrapped: object): number;
    _free(pointer: number): void;
  }
  const createEspeakModule: () => Promise<EspeakModule>;
  export default createEspeakModule;
}
