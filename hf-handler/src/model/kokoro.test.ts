import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import {
  TINY_MODEL_FILE,
  TINY_VOICES,
  tinyFrames,
  tinyKokoroDir,
  tinyKokoroOnnx,
  tinyStyleValue,
} from '../../testing/tiny-kokoro';
import { useTinyKokoro } from '../../testing/tiny-kokoro-fixture';
import { SAMPLES_PER_FRAME } from '../timing/word-timings';
import { loadKokoro } from './kokoro';

const tiny = useTinyKokoro();

// Loads a copy of the tiny model with some files written over.
async function loadWith(files: Record<string, string | Buffer>) {
  const dir = await tinyKokoroDir();
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content);
  return loadKokoro(dir, TINY_MODEL_FILE).finally(() => rm(dir, { recursive: true, force: true }));
}

describe('loadKokoro on a tiny model with the export signature, run by onnxruntime-node', () => {
  it('finds the vocabulary and every voice in the model directory', () => {
    expect([...tiny.model.voices].sort()).toEqual(Object.keys(TINY_VOICES).sort());
    expect(tiny.model.vocabulary.encode('a,b')).toEqual([8, 3, 9]);
  });

  for (const speed of [0.5, 1, 2]) {
    it(`returns one duration per input id and a waveform of their length at speed ${speed}`, async () => {
      const ids = [0, 8, 9, 10, 16, 11, 0];
      const { durations, waveform } = await tiny.model.infer(ids, 'af_tiny', speed);
      expect(durations).toEqual(ids.map((id) => tinyFrames(id, speed)));
      expect(durations.every(Number.isInteger)).toBe(true);
      expect(waveform).toBeInstanceOf(Float32Array);
      expect(waveform.length).toBe(durations.reduce((a, b) => a + b, 0) * SAMPLES_PER_FRAME);
    });
  }

  it('picks the style row by phoneme-token count, capped at the last row', async () => {
    const short = await tiny.model.infer([0, 8, 0], 'af_tiny', 1);
    expect(short.waveform[0]).toBeCloseTo(tinyStyleValue(1));
    const long = await tiny.model.infer([0, 8, 8, 8, 8, 8, 8, 0], 'af_tiny', 1);
    expect(long.waveform[0]).toBeCloseTo(tinyStyleValue(TINY_VOICES.af_tiny - 1));
  });

  it('rejects a voice it does not have', async () => {
    await expect(tiny.model.infer([0, 8, 0], 'zz_nobody', 1)).rejects.toThrow(/unknown voice/);
  });

  it('refuses a voice file that is not a float32 [N, 1, 256] table', async () => {
    await expect(loadWith({ 'voices/af_tiny.bin': Buffer.alloc(100) })).rejects.toThrow(
      /not a float32/,
    );
  });

  it('reads the vocabulary from tokenizer.json when config.json has none, as the ONNX export lays it out', async () => {
    const model = await loadWith({
      'config.json': '{}',
      'tokenizer.json': JSON.stringify({ model: { type: 'WordLevel', vocab: { a: 40, b: 41 } } }),
    });
    expect(model.vocabulary.encode('ab?')).toEqual([40, 41]);
  });

  it('refuses at load an export without the durations output, naming what it lacks', async () => {
    const model = onnx.ModelProto.decode(tinyKokoroOnnx());
    const graph = model.graph as onnx.GraphProto;
    graph.output = graph.output.filter((o) => o.name !== 'durations');
    await expect(
      loadWith({ [TINY_MODEL_FILE]: Buffer.from(onnx.ModelProto.encode(model).finish()) }),
    ).rejects.toThrow(
      /onnx\/model\.onnx is not Kokoro's timestamped export: it lacks output durations \(it has inputs \[input_ids, style, speed\], outputs \[waveform\]\)/,
    );
  });

  it('refuses a model directory without a vocabulary', async () => {
    await expect(loadWith({ 'config.json': '{}' })).rejects.toThrow(
      /no vocabulary .*config.json "vocab" nor tokenizer.json "model.vocab"/,
    );
  });
});
