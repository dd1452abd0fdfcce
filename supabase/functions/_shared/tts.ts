import { Buffer } from 'node:buffer';
import type { VerifyCaller } from './auth.ts';
import type { Sql } from './db.ts';
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
    const key = cacheKey(request);
    const characters = request.text.length;

    const { known, cached, fits } = await lookUp(sql, key, userId, characters);
    // A valid token for an account deleted since it was issued: nobody to charge.
    if (!known) throw new HttpError(401, 'unknown_user', 'this account no longer exists');
    if (!cached && !fits) throw quotaExhausted();
    const speech = cached ?? (await synthesizeOr502(synthesize, request));
    const charged = cached
      ? await chargeForHit(sql, userId, characters, key)
      : await chargeAndStore(sql, userId, key, request, speech);
    if (!charged) throw quotaExhausted();
    return json(200, { ...speech, cached: cached !== undefined });
  });
}

async function synthesizeOr502(synthesize: Synthesize, request: SpeechRequest): Promise<Speech> {
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

/**
 * One round trip: whether the user exists, the cached speech if any, and whether the text fits
 * the quota now (checked before paying for the endpoint; the charge re-checks it atomically).
 */
async function lookUp(sql: Sql, key: string, userId: string, characters: number) {
  const [row] = await sql<
    {
      mime: string | null;
      audio: Uint8Array | null;
      words: Speech['words'] | null;
      duration_ms: number | null;
      known: boolean;
      fits: boolean;
    }[]
  >`
    select c.mime, c.audio, c.words, c.duration_ms,
      exists (select 1 from public.profiles p where p.id = ${userId}) as known,
      public.has_quota_for(${userId}, ${characters}) as fits
    from (select 1) as one left join public.speech_cache c on c.key = ${key}`;
  const cached: Speech | undefined = row?.audio
    ? {
      audio: { mime: row.mime!, data: Buffer.from(row.audio).toString('base64') },
      words: row.words!,
      durationMs: row.duration_ms!,
    }
    : undefined;
  return { known: row?.known === true, cached, fits: row?.fits === true };
}

/** Charges the characters and counts the cache hit in one statement: both or neither. */
async function chargeForHit(
  sql: Sql,
  userId: string,
  characters: number,
  key: string,
): Promise<boolean> {
  const [row] = await sql`
    with charge as (select public.charge_characters(${userId}, ${characters}) as ok),
    touch as (
      update public.speech_cache set hits = hits + 1, last_used_at = now()
      where key = ${key} and (select ok from charge)
    )
    select ok from charge`;
  return row?.ok === true;
}

/** Charges the characters and caches the new speech in one statement: both or neither. */
async function chargeAndStore(
  sql: Sql,
  userId: string,
  key: string,
  request: SpeechRequest,
  speech: Speech,
) {
  const [row] = await sql`
    with charge as (select public.charge_characters(${userId}, ${request.text.length}) as ok),
    store as (
      insert into public.speech_cache (key, voice, speed, model_version, mime, audio, words, duration_ms)
      select ${key}, ${request.voice}, ${request.speed}::real, ${MODEL_VERSION}, ${speech.audio.mime},
        ${Buffer.from(speech.audio.data, 'base64')}::bytea, ${
    sql.json(speech.words as unknown as Parameters<Sql['json']>[0])
  },
        ${Math.round(speech.durationMs)}::integer
      where (select ok from charge)
      on conflict (key) do update set last_used_at = now()
    )
    select ok from charge`;
  return row?.ok === true;
}
