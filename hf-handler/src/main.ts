import { readHandlerEnv } from './env';
import { jsonLogger as log } from './log';
import { loadKokoro } from './model/kokoro';
import { espeakPhonemiser } from './phonemes/phonemiser';
import { createHandlerServer } from './server/server';
import { createSynthesiser } from './synthesis';

// Listen first so the health route answers 503 while the model loads, as the endpoint expects.
async function main() {
  const env = readHandlerEnv();
  const handler = createHandlerServer(env, log);
  handler.server.listen(env.port, () => {
    const address = handler.server.address();
    log('info', 'listening', {
      port: typeof address === 'object' && address ? address.port : env.port,
    });
  });
  process.once('SIGTERM', () => {
    log('info', 'shutting down');
    void handler.shutdown().then(() => {
      log('info', 'stopped');
      process.exit(0);
    });
  });
  const synthesiser = createSynthesiser(
    await loadKokoro(env.modelDir, env.modelFile),
    espeakPhonemiser,
  );
  if (!synthesiser.voices.has(env.defaultVoice)) {
    throw new Error(
      `DEFAULT_VOICE ${env.defaultVoice} is not an English voice in ${env.modelDir}/voices`,
    );
  }
  // Loading espeak-ng, the model's first run and compiling the Ogg encoder take seconds: pay them before reporting healthy.
  await synthesiser.synthesise({ text: 'Ready.', voice: env.defaultVoice, speed: 1 });
  handler.ready(synthesiser);
  log('info', 'model loaded', { voices: synthesiser.voices.size });
}

main().catch((error: unknown) => {
  log('error', 'startup failed', { error: error instanceof Error ? error.message : 'unknown' });
  process.exit(1);
});
