// Benchmarks print numbers and assert nothing: npm run bench -w hf-handler [-- --model-dir DIR [--model-file F] [--voice V]]
// Without --model-dir, the real-time factor is measured on the weights setup puts in .cache/kokoro.
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { letterPhonemiser } from '../testing/letter-phonemiser';
import {
  loadUntimedKokoro,
  REAL_KOKORO_DIR,
  REAL_KOKORO_VOICE,
  realKokoroAbsence,
} from '../testing/real-kokoro';
import { TINY_MODEL_FILE, tinyKokoroDir } from '../testing/tiny-kokoro';
import { encodeOggVorbis } from '../src/audio/ogg';
import { readHandlerEnv } from '../src/env';
import { loadKokoro, type SpeechModel } from '../src/model/kokoro';
import { createEspeakPhonemiser, espeakPhonemiser, loadEspeak } from '../src/phonemes/phonemiser';
import { createHandlerServer } from '../src/server/server';
import { createSynthesiser, planChunks } from '../src/synthesis';
import { splitWords } from '../src/text/words';
import { SAMPLE_RATE, SAMPLES_PER_FRAME, wordTimings } from '../src/timing/word-timings';

const PARAGRAPH =
  'The quick brown fox jumps over the lazy dog. It was 42 degrees outside, so everyone stayed in! ' +
  'Reading aloud helps people follow long articles; the words light up as they are spoken.';

// Typical English prose: mixed word lengths, a number, punctuation, a few repeated words.
const ARTICLE =
  'Libraries have always been more than rooms full of books. In small towns they are often the ' +
  'only warm place where anyone may sit for hours without buying something, and the staff know ' +
  'it. A librarian in a northern village told me that on cold mornings in January, about 30 ' +
  'people arrive before the doors open. Some come for the newspapers, some to print forms for ' +
  'the council, and some simply because the building is quiet and nobody asks them to leave. ' +
  'Over the last decade, budgets have shrunk while demand has grown. Opening hours were cut, ' +
  'mobile vans were sold, and volunteers now run many branches that once had paid staff. Yet ' +
  'the loans of printed books have not collapsed as many predicted; children still borrow ' +
  'picture books by the armful, and older readers still queue for the latest crime novel. What ' +
  'has changed is everything around the shelves: classes on using a phone, help with job ' +
  'applications, a corner where teenagers can do homework after school. If the library is a ' +
  'measure of how a town treats people who have little, then these quiet rooms say a great deal.';
const GOAL_MS_PER_WORD = 0.2;

const { values: args } = parseArgs({
  options: {
    'model-dir': { type: 'string' },
    'model-file': { type: 'string', default: 'onnx/model.onnx' },
    voice: { type: 'string', default: 'af_heart' },
  },
});

const now = () => performance.now();
const round = (n: number) => Math.round(n * 1000) / 1000;

// Inference time is summed so the handler's own share of each request can be told apart.
function timedModel(model: SpeechModel) {
  const spent = { ms: 0 };
  const timed: SpeechModel = {
    ...model,
    async infer(ids, voice, speed) {
      const started = now();
      try {
        return await model.infer(ids, voice, speed);
      } finally {
        spent.ms += now() - started;
      }
    },
  };
  return { timed, spent };
}

async function handlerOverhead(modelDir: string) {
  const { timed, spent } = timedModel(await loadKokoro(modelDir, TINY_MODEL_FILE));
  const handler = createHandlerServer(readHandlerEnv({ DEFAULT_VOICE: 'af_tiny' }), () => {});
  handler.ready(createSynthesiser(timed, espeakPhonemiser));
  await new Promise<void>((resolve) => handler.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(handler.server.address() as AddressInfo).port}/`;
  const speak = () => fetch(url, { method: 'POST', body: JSON.stringify({ text: PARAGRAPH }) });
  // Every request asks for the same text, so each answers this much audio, which it encodes.
  const { durationMs } = (await (await speak()).json()) as { durationMs: number };
  spent.ms = 0;
  const requests = 50;
  const started = now();
  for (let i = 0; i < requests; i++) await (await speak()).arrayBuffer();
  const total = (now() - started) / requests;
  const overhead = total - spent.ms / requests;
  await handler.shutdown();
  return {
    requests,
    msPerRequest: round(total),
    inferenceMsPerRequest: round(spent.ms / requests),
    overheadMsPerRequest: round(overhead),
    audioMsPerRequest: durationMs,
    overheadMsPerAudioSecond: round((overhead * 1000) / durationMs),
  };
}

async function alignmentPer1000Words(modelDir: string) {
  const model = await loadKokoro(modelDir, TINY_MODEL_FILE);
  const text = Array.from(
    { length: 100 },
    (_, i) => `Sentence ${i} has eight short words, said Ann.`,
  ).join(' ');
  const chunks = await planChunks(text, 'en-us', model.vocabulary, letterPhonemiser);
  const words = chunks.reduce((n, c) => n + c.words.length, 0);
  const audio = chunks.map((chunk) => {
    const durations = chunk.ids.map((id) => (id % 4) + 1);
    return { chunk, durations, samples: durations.reduce((a, b) => a + b, 0) * SAMPLES_PER_FRAME };
  });
  const rounds = 200;
  const started = now();
  for (let i = 0; i < rounds; i++) wordTimings(audio);
  const alignMs = (now() - started) / rounds;
  return { words, alignmentMsPer1000Words: round((alignMs * 1000) / words) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

// Loading and warming espeak-ng is paid once, at the handler's startup, and kept out of the per-word
// figures; the first article after it shows what warming left undone. Runs before anything else
// loads espeak-ng.
async function espeakStartup(modelDir: string) {
  const { vocabulary } = await loadKokoro(modelDir, TINY_MODEL_FILE);
  let started = now();
  await loadEspeak();
  const loadMs = now() - started;
  started = now();
  await planChunks(ARTICLE, 'en-us', vocabulary, createEspeakPhonemiser());
  return {
    loadMs: round(loadMs),
    firstArticleMsPer1000Words: round(((now() - started) / splitWords(ARTICLE).length) * 1000),
  };
}

// The text front end on ordinary prose. Cold, the headline: a fresh phonemiser, so every word is new
// to it. Cached: the same phonemiser again. The anchor: espeak-ng reading the whole article in one
// call, which gives no word boundaries and so is the floor of what phonemising can cost.
async function phonemisePer1000Words(modelDir: string) {
  const { vocabulary } = await loadKokoro(modelDir, TINY_MODEL_FILE);
  const words = splitWords(ARTICLE).length;
  const read = await loadEspeak();
  const rounds = 9;
  const cold: number[] = [];
  const coldCpu: number[] = [];
  const cached: number[] = [];
  const anchor: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const phonemiser = createEspeakPhonemiser();
    const cpu = process.cpuUsage();
    let started = now();
    await planChunks(ARTICLE, 'en-us', vocabulary, phonemiser);
    cold.push(now() - started);
    const { user, system } = process.cpuUsage(cpu);
    coldCpu.push((user + system) / 1000);
    started = now();
    await planChunks(ARTICLE, 'en-us', vocabulary, phonemiser);
    cached.push(now() - started);
    started = now();
    await read(ARTICLE, 'en-us');
    anchor.push(now() - started);
  }
  const per1000 = (ms: number[]) => round((median(ms) / words) * 1000);
  const goal = GOAL_MS_PER_WORD * 1000;
  return {
    words,
    rounds,
    coldMsPer1000Words: per1000(cold),
    goalMsPer1000Words: goal,
    coldRatioToGoal: round(per1000(cold) / goal),
    // CPU time moves less than wall time when the other cores' work takes turns with this one.
    coldCpuMsPer1000Words: per1000(coldCpu),
    cachedMsPer1000Words: per1000(cached),
    cachedRatioToGoal: round(per1000(cached) / goal),
    anchorWholeTextMsPer1000Words: per1000(anchor),
    coldRatioToAnchor: round(per1000(cold) / per1000(anchor)),
  };
}

async function realTimeFactor(modelDir: string, modelFile: string, voice: string) {
  const { timed, spent } = timedModel(await loadKokoro(modelDir, modelFile));
  const synthesiser = createSynthesiser(timed, espeakPhonemiser);
  await synthesiser.synthesise({ text: 'Warm up.', voice, speed: 1 });
  spent.ms = 0;
  const runs = 3;
  let audioMs = 0;
  const started = now();
  for (let i = 0; i < runs; i++) {
    audioMs += (await synthesiser.synthesise({ text: PARAGRAPH, voice, speed: 1 })).durationMs;
  }
  const wallMs = now() - started;
  return {
    runs,
    audioMs: round(audioMs),
    wallMs: round(wallMs),
    realTimeFactor: round(wallMs / audioMs),
  };
}

// The packaged weights (.cache/kokoro) have no durations output: only the model's own speed is measured.
async function untimedRealTimeFactor() {
  const kokoro = await loadUntimedKokoro();
  await kokoro.speak('Warm up.', REAL_KOKORO_VOICE, 1);
  let started = now();
  const chunks = await kokoro.plan(PARAGRAPH);
  const phonemiseMs = now() - started;
  const runs = 3;
  let audioMs = 0;
  let samples: Float32Array = new Float32Array();
  started = now();
  for (let i = 0; i < runs; i++) {
    samples = await kokoro.speakIds(chunks, REAL_KOKORO_VOICE, 1);
    audioMs += (samples.length * 1000) / SAMPLE_RATE;
  }
  const inferenceMs = now() - started;
  // The Ogg Vorbis encoding every answer pays, against the inference it follows.
  started = now();
  for (let i = 0; i < runs; i++) await encodeOggVorbis(samples, SAMPLE_RATE);
  const encodeMs = now() - started;
  return {
    model: `${REAL_KOKORO_DIR} (no durations output: no word timings)`,
    voice: REAL_KOKORO_VOICE,
    runs,
    audioMs: round(audioMs),
    inferenceMs: round(inferenceMs),
    phonemiseMsPerRun: round(phonemiseMs),
    realTimeFactor: round(inferenceMs / audioMs),
    realTimeFactorWithPhonemes: round((inferenceMs + runs * phonemiseMs) / audioMs),
    encodeMsPerAudioSecond: round((encodeMs / audioMs) * 1000),
    encodeShareOfInference: round(encodeMs / inferenceMs),
  };
}

async function realWeights() {
  if (args['model-dir']) return realTimeFactor(args['model-dir'], args['model-file']!, args.voice!);
  const absent = realKokoroAbsence();
  return absent ? { skipped: absent } : untimedRealTimeFactor();
}

async function main() {
  const dir = await tinyKokoroDir();
  try {
    const results: Record<string, Record<string, number | string>> = {
      espeakStartup: await espeakStartup(dir),
      handlerOverheadTinyModel: await handlerOverhead(dir),
      timingAlignment: await alignmentPer1000Words(dir),
      textFrontEnd: await phonemisePer1000Words(dir),
      realTimeFactor: await realWeights(),
    };
    console.log(JSON.stringify({ bench: 'hf-handler', results }));
    console.table(
      Object.entries(results).flatMap(([group, values]) =>
        Object.entries(values).map(([metric, value]) => ({ group, metric, value })),
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
