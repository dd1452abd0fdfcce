import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Vocabulary } from '../phonemes/vocabulary';

export const STYLE_DIM = 256;

export interface ModelOutput {
  waveform: Float32Array;
  // Frames per input id.
  durations: number[];
}

export interface SpeechModel {
  vocabulary: Vocabulary;
  voices: ReadonlySet<string>;
  infer(ids: readonly number[], voice: string, speed: number): Promise<ModelOutput>;
}

// A voice file is float32 [N, 1, 256]: one style vector per phoneme-token count.
async function readVoice(path: string): Promise<Float32Array> {
  const bytes = await readFile(path);
  if (bytes.byteLength === 0 || bytes.byteLength % (STYLE_DIM * 4) !== 0) {
    throw new Error(`voice file ${path} is not a float32 [N, 1, ${STYLE_DIM}] table`);
  }
  // Copy into an aligned buffer: Buffer slices may start at any byte offset.
  return new Float32Array(new Uint8Array(bytes).buffer);
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  return readFile(path, 'utf8').then(
    (text) => JSON.parse(text) as Record<string, unknown>,
    () => undefined,
  );
}

// Kokoro's own repository keeps the vocabulary in config.json; the ONNX community export in tokenizer.json.
export async function readVocab(modelDir: string): Promise<Record<string, number>> {
  const config = await readJson(join(modelDir, 'config.json'));
  if (config?.vocab) return config.vocab as Record<string, number>;
  const tokenizer = await readJson(join(modelDir, 'tokenizer.json'));
  const model = tokenizer?.model as { vocab?: Record<string, number> } | undefined;
  if (model?.vocab) return model.vocab;
  throw new Error(
    `no vocabulary in ${modelDir}: neither config.json "vocab" nor tokenizer.json "model.vocab"`,
  );
}

function numbersOf(tensor: ort.Tensor): number[] {
  return Array.from(tensor.data as ArrayLike<number | bigint>, Number);
}

// Every voices/<name>.bin of a model repository, by name.
export async function readVoices(modelDir: string): Promise<Map<string, Float32Array>> {
  const voiceFiles = (await readdir(join(modelDir, 'voices'))).filter((f) => f.endsWith('.bin'));
  const styles = new Map<string, Float32Array>();
  for (const file of voiceFiles) {
    styles.set(basename(file, '.bin'), await readVoice(join(modelDir, 'voices', file)));
  }
  if (styles.size === 0) throw new Error(`no voices/*.bin in ${modelDir}`);
  return styles;
}

const TIMESTAMPED_INPUTS = ['input_ids', 'style', 'speed'];
const TIMESTAMPED_OUTPUTS = ['waveform', 'durations'];

// Refused at load, so /health never turns 200 on an export that cannot time words.
function checkSignature(session: ort.InferenceSession, modelFile: string): void {
  const lacks = [
    ...TIMESTAMPED_INPUTS.filter((n) => !session.inputNames.includes(n)).map((n) => `input ${n}`),
    ...TIMESTAMPED_OUTPUTS.filter((n) => !session.outputNames.includes(n)).map(
      (n) => `output ${n}`,
    ),
  ];
  if (lacks.length > 0) {
    throw new Error(
      `${modelFile} is not Kokoro's timestamped export: it lacks ${lacks.join(', ')} ` +
        `(it has inputs [${session.inputNames.join(', ')}], outputs [${session.outputNames.join(', ')}])`,
    );
  }
}

// Loads the timestamped Kokoro export (input_ids, style, speed -> waveform, durations) from a model repository.
export async function loadKokoro(modelDir: string, modelFile: string): Promise<SpeechModel> {
  const styles = await readVoices(modelDir);
  const session = await ort.InferenceSession.create(join(modelDir, modelFile));
  checkSignature(session, modelFile);

  return {
    vocabulary: new Vocabulary(await readVocab(modelDir)),
    voices: new Set(styles.keys()),
    async infer(ids, voice, speed) {
      const table = styles.get(voice);
      if (!table) throw new Error(`unknown voice ${voice}`);
      const rows = table.length / STYLE_DIM;
      const row = Math.min(ids.length - 2, rows - 1);
      const result = await session.run({
        input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
        style: new ort.Tensor('float32', table.slice(row * STYLE_DIM, (row + 1) * STYLE_DIM), [
          1,
          STYLE_DIM,
        ]),
        speed: new ort.Tensor('float32', Float32Array.of(speed), [1]),
      });
      const { waveform, durations } = result;
      if (!waveform || !durations) throw new Error('model must output "waveform" and "durations"');
      if (durations.size !== ids.length) {
        throw new Error(`model gave ${durations.size} durations for ${ids.length} input ids`);
      }
      return { waveform: waveform.data as Float32Array, durations: numbersOf(durations) };
    },
  };
}
