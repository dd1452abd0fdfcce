import { createClient, FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { speechContractProblem } from './speech-check';

/** What the store reports about the item (the published and the submitted revision). */
export interface StoreItemState {
  takenDown: boolean;
  published?: { state: string; version: string };
  submitted?: { state: string; version: string };
}

/** Reads the store item's state; the Chrome Web Store client provides it in a deploy. */
export interface StoreItemReader {
  read(signal: AbortSignal): Promise<StoreItemState>;
}

export interface SmokeTarget {
  supabaseUrl: string;
  /** The project's publishable (anon) key, as the extension ships it. */
  anonKey: string;
  /** The dedicated smoke-test user (stack secrets). */
  user: { email: string; password: string };
  /** The speech endpoint and the token its health route needs. */
  endpoint: { url: string; token: string };
  store: StoreItemReader;
  /** How long each step may take. */
  stepTimeoutMs?: number;
}

export interface StepResult {
  step: string;
  ok: boolean;
  /** What was checked, or what failed and how; never a secret. */
  message: string;
}

/** The text the smoke test speaks: short, so it costs the smoke user a few characters a deploy. */
export const SMOKE_TEXT = 'Smoke test, one two.';
const DEFAULT_STEP_TIMEOUT_MS = 30_000;

class StepFailure extends Error {}

/** Runs `work` with an abort signal, failing with a clear message after `ms`. */
async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new StepFailure(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The status and JSON body of a function's answer, whether 2xx or not. */
async function invoke(
  client: SupabaseClient,
  name: string,
  options: { method: 'GET' | 'POST'; body?: object; signal: AbortSignal },
): Promise<{ status: number; body: unknown }> {
  const { data, error, response } = await client.functions.invoke(name, options);
  if (error instanceof FunctionsHttpError) {
    const answer = error.context as Response;
    return { status: answer.status, body: await answer.json().catch(() => undefined) };
  }
  if (error) throw new StepFailure(`could not reach the function ${name} (${error.message})`);
  return { status: response?.status ?? 200, body: data };
}

const errorOf = (body: unknown) =>
  (body as { error?: { code?: string; message?: string } } | undefined)?.error;

/** The storefront problem of an item, or undefined when users can install it. */
export function storeItemProblem(item: StoreItemState): string | undefined {
  if (item.takenDown) return 'the item is taken down';
  if (item.submitted?.state === 'REJECTED') {
    return `version ${item.submitted.version} was rejected by review`;
  }
  const published = item.published;
  if (published === undefined) return 'no version is published';
  return ['PUBLISHED', 'PUBLISHED_TO_TESTERS'].includes(published.state)
    ? undefined
    : `the published revision is ${published.state}`;
}

/**
 * The post-deploy smoke test: the health function, the smoke user's sign-in, one short `tts`
 * call checked against the speech contract, the endpoint's health route and the store item.
 * Every step runs (one failing step does not hide another), except `tts` without a session.
 */
export async function runSmoke(target: SmokeTarget): Promise<StepResult[]> {
  const ms = target.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  // Node 20 has no WebSocket of its own, which the client's realtime part insists on.
  const client = createClient(target.supabaseUrl, target.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
  });
  const results: StepResult[] = [];
  const step = async (name: string, work: (signal: AbortSignal) => Promise<string>) => {
    try {
      results.push({ step: name, ok: true, message: await withTimeout(ms, work) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({ step: name, ok: false, message });
    }
    return results.at(-1)!.ok;
  };

  await step('health function', async (signal) => {
    const { status, body } = await invoke(client, 'health', { method: 'GET', signal });
    const report = body as {
      status?: string;
      checks?: Record<string, { ok: boolean; detail?: string }>;
    };
    if (status === 200 && report?.status === 'ok') return 'the database and the endpoint answer';
    const failing = Object.entries(report?.checks ?? {})
      .filter(([, check]) => !check.ok)
      .map(([name, check]) => `${name}: ${check.detail ?? 'failing'}`);
    throw new StepFailure(
      `health answered ${status}${failing.length > 0 ? ` (${failing.join('; ')})` : ''}`,
    );
  });

  const signedIn = await step('sign-in of the smoke user', async () => {
    const { data, error } = await client.auth.signInWithPassword(target.user);
    if (error || !data.session) {
      throw new StepFailure(`sign-in refused (${error?.message ?? 'no session'})`);
    }
    return 'signed in';
  });

  if (signedIn) {
    await step('tts speaks by the speech contract', async (signal) => {
      const { status, body } = await invoke(client, 'tts', {
        method: 'POST',
        body: { text: SMOKE_TEXT },
        signal,
      });
      if (status !== 200) {
        const error = errorOf(body);
        throw new StepFailure(
          `tts answered ${status}${error ? ` ${error.code}: ${error.message}` : ''}`,
        );
      }
      const problem = speechContractProblem(SMOKE_TEXT, body);
      if (problem !== undefined) throw new StepFailure(`the speech contract is broken: ${problem}`);
      return `audio decodes, ${(body as { words: unknown[] }).words.length} words in order inside the text`;
    });
  } else {
    results.push({
      step: 'tts speaks by the speech contract',
      ok: false,
      message: 'not run: no session',
    });
  }

  await step('speech endpoint health route', async (signal) => {
    const url = new URL(
      'health',
      target.endpoint.url.endsWith('/') ? target.endpoint.url : `${target.endpoint.url}/`,
    );
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${target.endpoint.token}` },
      signal,
    }).catch((error: unknown) => {
      throw new StepFailure(`unreachable (${(error as Error).message})`);
    });
    if (!response.ok) throw new StepFailure(`${url.pathname} answered ${response.status}`);
    return `${url.pathname} answered ${response.status}`;
  });

  await step('store item', async (signal) => {
    const item = await target.store.read(signal);
    const problem = storeItemProblem(item);
    if (problem !== undefined) throw new StepFailure(problem);
    return `version ${item.published!.version} is ${item.published!.state}`;
  });

  return results;
}
