import { log } from './log.ts';

/** A rejection the caller should see: status, a stable code and a message safe to show. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return jsonText(status, JSON.stringify(body), headers);
}

/** A JSON answer whose body is serialised already (kept, say, to be sent again). */
export function jsonText(
  status: number,
  text: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Turns thrown HttpErrors into `{error: {code, message}}`; anything else is a 500 that says nothing inside. */
export function withErrors(handler: (req: Request) => Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    try {
      return await handler(req);
    } catch (error) {
      if (error instanceof HttpError) {
        return json(
          error.status,
          { error: { code: error.code, message: error.message } },
          error.headers,
        );
      }
      log('error', 'unhandled', { name: (error as Error)?.name });
      return json(500, { error: { code: 'internal', message: 'internal error' } });
    }
  };
}

/** Only POST reaches the handlers. */
export function requirePost(req: Request): void {
  if (req.method !== 'POST') {
    throw new HttpError(405, 'method_not_allowed', 'use POST', { allow: 'POST' });
  }
}

/** Reads the body as text, refusing more than `maxBytes` without reading it all. */
export async function readBody(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, 'payload_too_large', `the request body is larger than ${maxBytes} bytes`);
  const declared = req.headers.get('content-length');
  if (Number(declared ?? 0) > maxBytes) throw tooLarge();
  if (!req.body) return '';
  // A declared length bounds what the server reads, so the body comes in one native read rather
  // than chunk by chunk (the server refuses a request that also declares a transfer encoding).
  if (declared !== null) return await req.text();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for await (const chunk of req.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** Reads at most `maxBytes` of body and parses it as a JSON object, or rejects it (413, 400). */
export async function readJsonObject(
  req: Request,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  const text = await readBody(req, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'invalid_body', 'the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
