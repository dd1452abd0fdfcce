import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readVocab, readVoices, STYLE_DIM } from '../src/model/kokoro';
import { espeakPhonemiser } from '../src/phonemes/phonemiser';
import { Vocabulary } from '../src/phonemes/vocabulary';
import { planChunks } from '../src/synthesis';

// Where scripts/kokoro-weights.sh lays the real weights out as a model directory.
export const REAL_KOKORO_DIR = join(__dirname, '..', '..', '.cache', 'kokoro');
export const REAL_KOKORO_FILE = 'onnx/model.onnx';
// The packages ship Japanese voices only; a style vector speaks any phonemes, with its accent.
export const REAL_KOKORO_VOICE = 'jf_alpha';

/** Why the real weights cannot be used here, or undefined when they can. */
export function realKokoroAbsence(dir = REAL_KOKORO_DIR): string | undefined {
  return existsSync(join(dir, REAL_KOKORO_FILE))
    ? undefined
    : `no Kokoro weights in ${dir} (bash scripts/setup.sh fetches them)`;
}

export interface UntimedKokoro {
  inputNames: readonly string[];
  outputNames: readonly string[];
  // The handler's own chunk plan: espeak en-us phonemes as the model's ids, BOS and EOS included.
  plan(text: string): Promise<number[][]>;
  speakIds(chunks: number[][], voice: string, speed: number): Promise<Float32Array>;
  speak(text: string, voice: string, speed: number): Promise<Float32Array>;
}

// The packaged export is `tokens, style, speed -> audio`: it speaks, but gives no durations to time words by.
export async function loadUntimedKokoro(dir = REAL_KOKORO_DIR): Promise<UntimedKokoro> {
  const vocabulary = new Vocabulary(await readVocab(dir));
  const styles = await readVoices(dir);
  const session = await ort.InferenceSession.create(join(dir, REAL_KOKORO_FILE));
  const kokoro: UntimedKokoro = {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async plan(text) {
      return (await planChunks(text, 'en-us', vocabulary, espeakPhonemiser)).map((c) => c.ids);
    },
    async speakIds(chunks, voice, speed) {
      const table = styles.get(voice);
      if (!table) throw new Error(`unknown voice ${voice}`);
      const parts: Float32Array[] = [];
      for (const ids of chunks) {
        const row = Math.min(ids.length - 2, table.length / STYLE_DIM - 1);
        const { audio } = await session.run({
          tokens: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
          style: new ort.Tensor('float32', table.slice(row * STYLE_DIM, (row + 1) * STYLE_DIM), [
            1,
            STYLE_DIM,
          ]),
          speed: new ort.Tensor('float32', Float32Array.of(speed), [1]),
        });
        parts.push(audio!.data as Float32Array);
      }
      const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((at, p) => (samples.set(p, at), at + p.length), 0);
      return samples;
    },
    async speak(text, voice, speed) {
      return kokoro.speakIds(await kokoro.plan(text), voice, speed);
    },
  };
  return kokoro;
}
