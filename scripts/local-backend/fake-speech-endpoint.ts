import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const SAMPLE_RATE = 24_000;
/** Kokoro's duration unit: 600 samples at 24 kHz. */
const FRAME_MS = 25;

export interface SpeechRequestBody {
  text: string;
  voice: string;
  speed: number;
}

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
  readonly requests: SpeechRequestBody[];
  /** Behaviours to apply to the next requests in turn; afterwards it answers normally. */
  behave(...next: Behaviour[]): void;
  stop(): Promise<void>;
}

export async function startFakeSpeechEndpoint(): Promise<FakeSpeechEndpoint> {
  const token = `hf_local_${randomBytes(12).toString('hex')}`;
  const requests: SpeechRequestBody[] = [];
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
      return send(res, 401, { error: 'bad token' });
    if (!isSpeechRequest(body)) return send(res, 400, { error: 'expected {text, voice, speed}' });
    requests.push(body);
    if (behaviour.status) return send(res, behaviour.status, { error: 'told to fail' });
    send(res, 200, synthesize(body));
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
export function synthesize({ text, speed }: SpeechRequestBody) {
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
  return {
    audio: { mime: 'audio/wav', data: silentWav(durationMs).toString('base64') },
    words,
    durationMs,
  };
}

/** A PCM16 mono WAV of silence, 24 kHz. */
function silentWav(durationMs: number): Buffer {
  const dataBytes = ((SAMPLE_RATE * durationMs) / 1000) * 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([header, Buffer.alloc(dataBytes)]);
}

function isSpeechRequest(body: unknown): body is SpeechRequestBody {
  const { text, voice, speed } = (body ?? {}) as Record<string, unknown>;
  return typeof text === 'string' && typeof voice === 'string' && typeof speed === 'number';
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
