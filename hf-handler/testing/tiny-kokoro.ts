import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { STYLE_DIM } from '../src/model/kokoro';
import { SAMPLES_PER_FRAME } from '../src/timing/word-timings';

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

// Kokoro's punctuation and space ids, then letters and the IPA symbols espeak-ng gives for English.
const SYMBOLS = [
  ...';:,.!?',
  ...' ',
  ...'abcdefghijklmnopqrstuvwxyz',
  ...'əɪʊɹˈˌːæɑɔɛɜʌðθʃʒŋɡɾɚᵻʔ',
];
export const TINY_VOCAB: Record<string, number> = Object.fromEntries(
  SYMBOLS.map((symbol, i) => [symbol, i + 1]),
);
// ff_tiny is French: the handler has no French phonemiser, so it must not offer it.
export const TINY_VOICES = { af_tiny: 4, bf_tiny: 2, ff_tiny: 1 } as const;
export const TINY_MODEL_FILE = 'onnx/model.onnx';

// The tiny model's duration per token, already divided by speed as Kokoro's are.
export function tinyFrames(id: number, speed: number): number {
  return Math.ceil(((id % 4) + 1) / speed);
}

// Every value in row r of a tiny voice, so the waveform (the row's mean) tells which row was used.
export function tinyStyleValue(row: number): number {
  return (row + 1) / 8;
}

function valueInfo(
  name: string,
  elemType: number,
  dims: (number | string)[],
): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function int(name: string, i: number): onnx.IAttributeProto {
  return { name, type: AttributeType.INT, i };
}

function node(
  opType: string,
  input: string[],
  output: string,
  attribute: onnx.IAttributeProto[] = [],
): onnx.INodeProto {
  return { opType, input, output: [output], attribute, name: output };
}

// input_ids [1,N] int64, style [1,256], speed [1] -> durations [N] int64 and waveform [1, sum*600].
export function tinyKokoroOnnx(): Uint8Array {
  const graph: onnx.IGraphProto = {
    name: 'tiny-kokoro',
    input: [
      valueInfo('input_ids', DataType.INT64, [1, 'tokens']),
      valueInfo('style', DataType.FLOAT, [1, STYLE_DIM]),
      valueInfo('speed', DataType.FLOAT, [1]),
    ],
    output: [
      valueInfo('waveform', DataType.FLOAT, [1, 'samples']),
      valueInfo('durations', DataType.INT64, ['tokens']),
    ],
    initializer: [
      { name: 'axis0', dataType: DataType.INT64, dims: [1], int64Data: [0] },
      { name: 'four', dataType: DataType.INT64, dims: [], int64Data: [4] },
      { name: 'one', dataType: DataType.INT64, dims: [], int64Data: [1] },
      { name: 'one_row', dataType: DataType.INT64, dims: [1], int64Data: [1] },
      { name: 'frame', dataType: DataType.INT64, dims: [], int64Data: [SAMPLES_PER_FRAME] },
    ],
    node: [
      node('Squeeze', ['input_ids', 'axis0'], 'ids'),
      node('Mod', ['ids', 'four'], 'ids_mod'),
      node('Add', ['ids_mod', 'one'], 'frames_at_1x'),
      node('Cast', ['frames_at_1x'], 'frames_f', [int('to', DataType.FLOAT)]),
      node('Div', ['frames_f', 'speed'], 'frames_scaled'),
      node('Ceil', ['frames_scaled'], 'frames_ceil'),
      node('Cast', ['frames_ceil'], 'durations', [int('to', DataType.INT64)]),
      node('ReduceSum', ['durations'], 'total_frames', [int('keepdims', 1)]),
      node('Mul', ['total_frames', 'frame'], 'total_samples'),
      node('Concat', ['one_row', 'total_samples'], 'wave_shape', [int('axis', 0)]),
      node('ReduceMean', ['style'], 'amplitude', [int('keepdims', 0)]),
      node('Expand', ['amplitude', 'wave_shape'], 'waveform'),
    ],
  };
  return onnx.ModelProto.encode({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'read-aloud tests',
    graph,
  }).finish();
}

// A model repository laid out like the Kokoro export's: config.json, onnx/model.onnx, voices/*.bin.
export async function writeTinyKokoro(dir: string): Promise<void> {
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await mkdir(join(dir, 'voices'), { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify({ vocab: TINY_VOCAB }));
  await writeFile(join(dir, TINY_MODEL_FILE), tinyKokoroOnnx());
  for (const [voice, rows] of Object.entries(TINY_VOICES)) {
    const table = new Float32Array(rows * STYLE_DIM);
    for (let r = 0; r < rows; r++)
      table.fill(tinyStyleValue(r), r * STYLE_DIM, (r + 1) * STYLE_DIM);
    await writeFile(join(dir, 'voices', `${voice}.bin`), table);
  }
}

// A fresh temporary directory holding the tiny model repository.
export async function tinyKokoroDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tiny-kokoro-'));
  await writeTinyKokoro(dir);
  return dir;
}
