import { LRUCache } from 'npm:lru-cache@11.5.3';
import type { VerifyCaller } from '../_shared/auth.ts';
import type { Sql } from '../_shared/db.ts';
import { HttpError, jsonText, readJsonObject, requirePost, withErrors } from '../_shared/http.ts';
import { log } from '../_shared/log.ts';
import {
  cacheKey,
  MODEL_VERSION,
  parseSpeechRequest,
  type Speech,
  type SpeechLimits,
  type SpeechRequest,
} from './speech.ts';
import { SpeechEndpointError, type Synthesise } from './speech-endpoint.ts';

/** Room for the default MAX_TEXT_CHARS of multi-byte text plus the other fields. */
const MAX_BODY_BYTES = 64 * 1024;
/** Characters of answers an instance keeps: about 1.8 hours of speech as base64 Ogg Vorbis. */
const DEFAULT_RECENT_CHARS = 32 * 1024 * 1024;

export interface TtsDependencies {
  verifyCaller: VerifyCaller;
  sql: Sql;
  synthesise: Synthesise;
  /** The stack's limits; the contract's defaults where it sets none. */
  limits: SpeechLimits;
  /** How many characters of answers this instance keeps in memory; the default where not given. */
  recentChars?: number;
}

/** Supabase's edge runtime keeps the instance alive until these settle; plain Deno always does. */
declare const EdgeRuntime: { waitUntil(task: Promise<unknown>): void } | undefined;
const runInBackground = (task: Promise<unknown>) =>
  typeof EdgeRuntime === 'undefined' ? undefined : EdgeRuntime.waitUntil(task);

/**
 * POST /functions/v1/tts: speech for the caller's text, from the cache or the endpoint. The
 * characters are charged up front, atomically against the quota, and given back if the endpoint
 * fails. Speech is cached on its second request (answered first, cached after): most text is read
 * once. The database's cache decides what is a hit; the answers this instance gave recently spare
 * a hit the audio's trip out of Postgres.
 */
export function createTtsHandler(
  { verifyCaller, sql, synthesise, limits, recentChars = DEFAULT_RECENT_CHARS }: TtsDependencies,
) {
  /** Cache writes still running, so that this instance serves what it has just made. */
  const storing = new Map<string, Promise<void>>();
  /** Answer bodies by cache key: speech for a key never changes, so one is never stale. */
  const recent = new LRUCache<string, string>({
    maxSize: recentChars,
    sizeCalculation: (body) => body.length,
  });
  /** Answers with the body, and keeps it for the next time its key is asked for. */
  const answerAndKeep = (key: string, body: string) => {
    recent.set(key, body);
    return jsonText(200, body);
  };
  return withErrors(async (req) => {
    requirePost(req);
    const { userId } = await verifyCaller(req);
    const request = parseSpeechRequest(await readJsonObject(req, MAX_BODY_BYTES), limits);
    const key = cacheKey(request);
    const characters = request.text.length;

    await storing.get(key);
    const held = recent.get(key);
    const { known, charged, month, hit, answer, askedBefore } = await chargeAndLookUp(sql, {
      userId,
      characters,
      key,
      held: held !== undefined,
    });
    // A valid token for an account deleted since it was issued: nobody to charge.
    if (!known) throw new HttpError(401, 'unknown_user', 'this account no longer exists');
    if (!charged) {
      throw new HttpError(
        402,
        'quota_exhausted',
        'the monthly character quota is used up; upgrade or wait for next month',
      );
    }
    // The same answer either way: whether the text was cached would tell who else read it.
    if (hit) return held === undefined ? answerAndKeep(key, answer!) : jsonText(200, held);

    const body = JSON.stringify(
      await synthesiseOrRefund(synthesise, request, () => refund(sql, userId, month, characters)),
    );
    // Not cached, so not kept either: only a hit is served from what this instance keeps.
    if (!askedBefore) return jsonText(200, body);
    // postgres.js serialises a query in a microtask, which would hold the answer back.
    const stored = nextTurn().then(() => store(sql, key, request, body)).finally(() => {
      if (storing.get(key) === stored) storing.delete(key);
    });
    storing.set(key, stored);
    runInBackground(stored);
    return answerAndKeep(key, body);
  });
}

/** Resolves after a turn of the event loop, by when Deno.serve has sent the answer. */
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * One round trip before any work: whether the user exists, the charge (checked against the quota
 * in the same statement) and, when the charge went through, whether the speech is cached, counted
 * as a hit, and the cached answer unless this instance `held` it already; on a miss, whether the
 * speech was asked for before (else it is noted as asked).
 */
async function chargeAndLookUp(
  sql: Sql,
  { userId, characters, key, held }: {
    userId: string;
    characters: number;
    key: string;
    held: boolean;
  },
) {
  // Always one row: each CTE yields one, and the hit is left-joined.
  const [row] = await sql<
    {
      known: boolean;
      charged: boolean;
      month: string;
      hit: boolean;
      answer: string | null;
      askedBefore: boolean;
    }[]
  >`
    with caller as (
      select exists (select 1 from public.profiles p where p.id = ${userId}) as known
    ),
    charge as (
      select case when known then public.charge_characters(${userId}, ${characters}) else false end
        as charged
      from caller
    ),
    hit as (
      update public.speech_answers set hits = hits + 1, last_used_at = now()
      where key = ${key} and (select charged from charge)
      returning true as found, case when not ${held} then answer end as answer
    ),
    first_ask as (
      insert into public.speech_asked (key)
      select ${key} from charge where charged and not exists (select from hit)
      on conflict (key) do nothing
      returning true
    )
    select caller.known, charge.charged, date_trunc('month', now())::date::text as month,
      hit.found is not null as hit, hit.answer, not exists (select from first_ask) as "askedBefore"
    from caller cross join charge left join hit on true`;
  return row;
}

/** The endpoint's speech, or a 502 once the charge for it is given back. */
async function synthesiseOrRefund(
  synthesise: Synthesise,
  request: SpeechRequest,
  refundCharge: () => Promise<void>,
): Promise<Speech> {
  try {
    return await synthesise(request);
  } catch (error) {
    await refundCharge();
    if (!(error instanceof SpeechEndpointError)) throw error;
    log('error', 'speech_endpoint_failed', { detail: error.detail });
    throw new HttpError(
      502,
      'upstream_failed',
      'the speech service failed; nothing was charged, please retry',
    );
  }
}

/** Gives back characters charged in `month` (the charge's, in case the month has turned since). */
async function refund(sql: Sql, userId: string, month: string, characters: number) {
  try {
    await sql`update public.usage set characters = characters - ${characters}, updated_at = now()
      where user_id = ${userId} and month = ${month}::date`;
  } catch (error) {
    // What someone needs to give the characters back by hand.
    log('error', 'refund_failed', { userId, month, characters, name: (error as Error)?.name });
    throw error;
  }
}

/** Caches new speech's answer; a failure costs only a later miss, so it is logged, not raised. */
async function store(sql: Sql, key: string, request: SpeechRequest, answer: string) {
  try {
    await sql`
      insert into public.speech_answers (key, voice, speed, model_version, answer)
      values (${key}, ${request.voice}, ${request.speed}::real, ${MODEL_VERSION}, ${answer})
      on conflict (key) do update set last_used_at = now()`;
  } catch (error) {
    log('error', 'cache_store_failed', { name: (error as Error)?.name });
  }
}
