import { Buffer } from 'node:buffer';
import type { VerifyCaller } from './auth.ts';
import type { Sql, Transaction } from './db.ts';
import { HttpError, json, parseJsonObject, readBody, requirePost, withErrors } from './http.ts';
import {
  cacheKey,
  MODEL_VERSION,
  parseSpeechRequest,
  type Speech,
  type SpeechRequest,
} from './speech.ts';
import { SpeechEndpointError, type Synthesize } from './speech-endpoint.ts';

/** Room for MAX_TEXT_CHARS of multi-byte text plus the other fields. */
const MAX_BODY_BYTES = 64 * 1024;

export interface TtsDependencies {
  verifyCaller: VerifyCaller;
  sql: Sql;
  synthesize: Synthesize;
}

const quotaExhausted = () =>
  new HttpError(
    402,
    'quota_exhausted',
    'the monthly character quota is used up; upgrade or wait for next month',
  );

/**
 * POST /functions/v1/tts: speech for the caller's text, from the cache or the endpoint. The
 * caller is charged (characters of text) only for speech they receive.
 */
export function createTtsHandler({ verifyCaller, sql, synthesize }: TtsDependencies) {
  return withErrors(async (req) => {
    requirePost(req);
    const { userId } = await verifyCaller(req);
    const request = parseSpeechRequest(parseJsonObject(await readBody(req, MAX_BODY_BYTES)));
    const key = await cacheKey(request);
    const characters = request.text.length;

    const cached = await readCache(sql, key);
    const speech = cached ?? (await synthesizeWithinQuota(sql, synthesize, userId, request));
    const charged = await sql.begin(async (tx) => {
      const [row] = await tx`select public.charge_characters(${userId}, ${characters}) as charged`;
      if (!row?.charged) return false;
      if (cached) {
        await tx`update public.speech_cache set hits = hits + 1, last_used_at = now() where key = ${key}`;
      } else await storeInCache(tx, key, request, speech);
      return true;
    }).catch((error) => {
      // A valid token for a user whose profile is gone: nobody to charge.
      if (error?.code === '23503') {
        throw new HttpError(401, 'unknown_user', 'this account no longer exists');
      }
      throw error;
    });
    if (!charged) throw quotaExhausted();
    return json(200, { ...speech, cached: cached !== undefined });
  });
}

/** Fails fast when the text cannot fit the quota, before paying for the endpoint's work. */
async function synthesizeWithinQuota(
  sql: Sql,
  synthesize: Synthesize,
  userId: string,
  request: SpeechRequest,
) {
  const [row] = await sql`select public.has_quota_for(${userId}, ${request.text.length}) as fits`;
  if (!row?.fits) throw quotaExhausted();
  try {
    return await synthesize(request);
  } catch (error) {
    if (!(error instanceof SpeechEndpointError)) throw error;
    console.error(
      JSON.stringify({ level: 'error', event: 'speech_endpoint_failed', detail: error.detail }),
    );
    throw new HttpError(
      502,
      'upstream_failed',
      'the speech service failed; nothing was charged, please retry',
    );
  }
}

async function readCache(sql: Sql, key: string): Promise<Speech | undefined> {
  const [row] = await sql<
    { mime: string; audio: Uint8Array; words: Speech['words']; duration_ms: number }[]
  >`
    select mime, audio, words, duration_ms from public.speech_cache where key = ${key}`;
  if (!row) return undefined;
  return {
    audio: { mime: row.mime, data: Buffer.from(row.audio).toString('base64') },
    words: row.words,
    durationMs: row.duration_ms,
  };
}

async function storeInCache(
  sql: Transaction,
  key: string,
  request: SpeechRequest,
  speech: Speech,
) {
  const entry = {
    key,
    voice: request.voice,
    speed: request.speed,
    model_version: MODEL_VERSION,
    mime: speech.audio.mime,
    audio: Buffer.from(speech.audio.data, 'base64'),
    words: sql.json(speech.words as unknown as Parameters<Sql['json']>[0]),
    duration_ms: Math.round(speech.durationMs),
  };
  await sql`insert into public.speech_cache ${
    sql(entry)
  } on conflict (key) do update set last_used_at = now()`;
}
