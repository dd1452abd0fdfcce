import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeOggVorbis, SPEECH_AUDIO_MIME } from '../../hf-handler/src/audio/ogg';
import { checkSpeechRequest, type SpeechRequest, type SpeechResponse } from '../../speech/index.ts';

const SAMPLE_RATE = 24_000;
/** Kokoro's duration unit: 600 samples at 24 kHz. */
const FRAME_MS = 25;

/** How the fake answers the next requests. */
export interface Behaviour {
  /** Answer with this HTTP status instead of speech. */
  status?: number;
  /** Wait this long before answering. */
  delayMs?: number;
}

/**
 * A stand-in for the Kokoro endpoint on Hugging Face, on 127.0.0.1: POST {text, voice, speed}
 * with the bearer token -> {audio: {mime, data}, words, durationMs} as the handler returns it.
 */
export interface FakeSpeechEndpoint {
  url: string;
  token: string;
  /** Requests received (also the failed ones), newest last. */
  readonly requests: SpeechRequest[];
  /** Behaviours to apply to the next requests in turn; afterwards it answers normally. */
  behave(...next: Behaviour[]): void;
  stop(): Promise<void>;
}

export async function startFakeSpeechEndpoint(): Promise<FakeSpeechEndpoint> {
  const token = `hf_local_${randomBytes(12).toString('hex')}`;
  const requests: SpeechRequest[] = [];
  const queue: Behaviour[] = [];

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    // The container's health route, as the endpoint exposes it: behind the token, no body.
    if (req.method === 'GET' && req.url === '/health') {
      if (req.headers.authorization !== `Bearer ${token}`)
        return send(res, 401, { error: 'bad token' });
      return send(res, 200, { status: 'ok' });
    }
    const body = await readJson(req);
    const behaviour = queue.shift() ?? {};
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    if (req.headers.authorization !== `Bearer ${token}`)
      return sendError(res, 401, 'invalid_token', 'bad token');
    const check = checkSpeechRequest(body);
    if (!check.ok) return sendError(res, check.status, check.code, check.message);
    requests.push(check.request);
    if (behaviour.status) return sendError(res, behaviour.status, 'internal', 'told to fail');
    send(res, 200, await synthesise(check.request));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    requests,
    behave: (...next) => queue.push(...next),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Speech as the handler makes it: whole frames per word, a short pause between words. */
export async function synthesise({ text, speed }: SpeechRequest): Promise<SpeechResponse> {
  const words = [];
  let frames = 2;
  for (const match of text.matchAll(/\S+/g)) {
    const length = Math.max(2, Math.round((match[0].length * 3) / speed));
    words.push({
      text: match[0],
      start: frames * FRAME_MS,
      end: (frames + length) * FRAME_MS,
      charStart: match.index,
      charEnd: match.index + match[0].length,
    });
    frames += length + 1;
  }
  const durationMs = (frames + 2) * FRAME_MS;
  const audio = await humming(durationMs);
  return { audio: { mime: SPEECH_AUDIO_MIME, data: audio.toString('base64') }, words, durationMs };
}

/** Encoded humming by length: encoding costs ~10 ms a second of audio, which would swamp a bench. */
const hums = new Map<number, Promise<Buffer>>();

/**
 * A tone that swells four times a second on a faint hiss, encoded as the handler encodes speech:
 * audible in the browser, and about as many bytes a second as real speech (30 kbit/s), so that
 * benches move bodies of a realistic size.
 */
function humming(durationMs: number): Promise<Buffer> {
  const known = hums.get(durationMs);
  if (known) return known;
  const samples = new Float32Array((SAMPLE_RATE * durationMs) / 1000);
  let seed = 1;
  for (let i = 0; i < samples.length; i += 1) {
    const t = i / SAMPLE_RATE;
    seed = (seed * 1_103_515_245 + 12_345) >>> 0;
    samples[i] =
      0.3 * Math.abs(Math.sin(2 * Math.PI * 2 * t)) * Math.sin(2 * Math.PI * 220 * t) +
      0.01 * (seed / 2 ** 32 - 0.5);
  }
  const encoded = encodeOggVorbis(samples, SAMPLE_RATE);
  hums.set(durationMs, encoded);
  return encoded;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Errors in the handler's shape, `{error: {code, message}}`. */
function sendError(res: ServerResponse, status: number, code: string, message: string) {
  send(res, status, { error: { code, message } });
}
