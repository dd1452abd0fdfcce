import { copyFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readHandlerEnv } from '../src/env';
import { loadKokoro } from '../src/model/kokoro';
import { createHandlerServer, type HandlerServer } from '../src/server/server';
import { createSynthesiser } from '../src/synthesis';
import { letterPhonemiser } from './letter-phonemiser';
import { TINY_MODEL_FILE, tinyKokoroDir } from './tiny-kokoro';

/**
 * The real speech handler on the tiny model, listening on a free port of 127.0.0.1; its voice is
 * also under af_heart, the name tts asks for by default. The caller removes `modelDir`.
 */
export async function startTinyHandler(): Promise<{
  modelDir: string;
  handler: HandlerServer;
  url: string;
}> {
  const modelDir = await tinyKokoroDir();
  await copyFile(join(modelDir, 'voices/af_tiny.bin'), join(modelDir, 'voices/af_heart.bin'));
  const model = await loadKokoro(modelDir, TINY_MODEL_FILE);
  const handler = createHandlerServer(readHandlerEnv({ DEFAULT_VOICE: 'af_heart' }), () => {});
  handler.ready(createSynthesiser(model, letterPhonemiser));
  await new Promise<void>((resolve) => handler.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(handler.server.address() as AddressInfo).port}`;
  return { modelDir, handler, url };
}
