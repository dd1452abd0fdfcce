import { rm } from 'node:fs/promises';
import { afterAll, beforeAll } from 'vitest';
import { loadKokoro, type SpeechModel } from '../src/model/kokoro';
import { TINY_MODEL_FILE, tinyKokoroDir } from './tiny-kokoro';

// The tiny model repository for one test file: written before its tests, loaded by onnxruntime-node.
export function useTinyKokoro(): { readonly dir: string; readonly model: SpeechModel } {
  const fixture = {} as { dir: string; model: SpeechModel };
  beforeAll(async () => {
    fixture.dir = await tinyKokoroDir();
    fixture.model = await loadKokoro(fixture.dir, TINY_MODEL_FILE);
  });
  afterAll(() => rm(fixture.dir, { recursive: true, force: true }));
  return fixture;
}
