import { copyFile, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readHandlerEnv } from '../../../hf-handler/src/env';
import { loadKokoro } from '../../../hf-handler/src/model/kokoro';
import { createHandlerServer } from '../../../hf-handler/src/server/server';
import { createSynthesiser } from '../../../hf-handler/src/synthesis';
import { letterPhonemiser } from '../../../hf-handler/testing/letter-phonemiser';
import { TINY_MODEL_FILE, tinyKokoroDir } from '../../../hf-handler/testing/tiny-kokoro';
import { startLocalBackend, type LocalBackend } from '../../../scripts/local-backend';
import { DEFAULT_VOICE } from '../../../speech/index.ts';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The local backend whose tts calls the real speech handler on its tiny model. */
export interface SpeechStack {
  backend: LocalBackend;
  /** While true, the endpoint in front of the handler answers 503, as a failing endpoint does. */
  endpointDown: boolean;
  stop(): Promise<void>;
}

export async function startSpeechStack(): Promise<SpeechStack> {
  const modelDir = await tinyKokoroDir();
  // The tiny model's voice, also under the name the extension asks for by default.
  await copyFile(
    join(modelDir, 'voices/af_tiny.bin'),
    join(modelDir, `voices/${DEFAULT_VOICE}.bin`),
  );
  const handler = createHandlerServer(readHandlerEnv({ DEFAULT_VOICE }), () => {});
  handler.ready(createSynthesiser(await loadKokoro(modelDir, TINY_MODEL_FILE), letterPhonemiser));
  const handlerUrl = new URL(await listen(handler.server));

  const stack = { endpointDown: false } as SpeechStack;
  const endpoint = createServer((req, res) => {
    if (stack.endpointDown) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'endpoint is scaling' }));
      return;
    }
    const upstream = request(
      {
        host: handlerUrl.hostname,
        port: handlerUrl.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const endpointUrl = await listen(endpoint);
  stack.backend = await startLocalBackend({ speechEndpointUrl: endpointUrl });
  stack.stop = async () => {
    await stack.backend.stop();
    endpoint.closeAllConnections();
    await new Promise((resolve) => endpoint.close(resolve));
    await handler.shutdown();
    await rm(modelDir, { recursive: true, force: true });
  };
  return stack;
}
