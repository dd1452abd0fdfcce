import { startLocalBackend } from './local-backend';
import { createUser } from './local-backend/users';

// `npm run bench:backend`: what tts adds over calling the speech endpoint directly, on loopback,
// for cache misses and hits, one at a time (latency) and 16 at a time (throughput). Prints numbers only.
// Latency is measured in rounds and each figure is the median over them, so that one burst of
// load from elsewhere on the machine does not decide a p95.
const ROUNDS = 5;
const SEQUENTIAL = 200;
/** The budget for what tts adds to a cache miss, at p95. */
const ADDED_P95_BUDGET_MS = 10;
const CONCURRENT = { workers: 16, requests: 800 };

interface Latency {
  p50: number;
  p95: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Times the calls in turn, interleaved, so that load from elsewhere weighs on each alike. */
async function timeInterleaved<K extends string>(
  count: number,
  calls: Record<K, (i: number) => Promise<Response>>,
) {
  const times = Object.fromEntries(
    Object.keys(calls).map((name) => [name, [] as number[]]),
  ) as Record<K, number[]>;
  for (let i = 0; i < count; i += 1) {
    for (const [name, call] of Object.entries(calls) as [K, (i: number) => Promise<Response>][]) {
      const start = performance.now();
      const response = await call(i);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${name} ${i} answered ${response.status}`);
      times[name].push(performance.now() - start);
    }
  }
  const stats = (list: number[]): Latency => {
    const sorted = [...list].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  };
  return Object.fromEntries(
    Object.entries<number[]>(times).map(([name, list]) => [name, stats(list)]),
  ) as Record<K, Latency>;
}

async function throughput(call: (i: number) => Promise<Response>) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENT.workers }, async () => {
      while (next < CONCURRENT.requests) {
        const response = await call(next++);
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`answered ${response.status}`);
      }
    }),
  );
  return CONCURRENT.requests / ((performance.now() - start) / 1000);
}

async function main() {
  const backend = await startLocalBackend();
  try {
    const userId = await createUser(backend.sql, 'bench@localhost');
    await backend.sql`insert into public.subscriptions
      (user_id, stripe_customer_id, stripe_subscription_id, status, last_event_at)
      values (${userId}, 'cus_bench', 'sub_bench', 'active', now())`;
    const token = await backend.signToken(userId);
    const endpoint = backend.speechEndpoint;
    const text = (label: string, i: number) =>
      `Benchmark sentence ${label} number ${i}, read aloud.`;
    const direct = (i: number) =>
      fetch(endpoint.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: text('direct', i), voice: 'af_heart', speed: 1 }),
      });
    const tts = (body: string) =>
      fetch(backend.functionUrls.get('tts')!, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
    const miss = (label: string) => (i: number) => tts(JSON.stringify({ text: text(label, i) }));
    const hitBody = JSON.stringify({ text: text('hit', 0) });
    let upstreamCallsOnHits = 0;
    /** A cache hit, counting any call it makes to the endpoint (there should be none). */
    const hit = async () => {
      const before = endpoint.requests.length;
      const response = await tts(hitBody);
      upstreamCallsOnHits += endpoint.requests.length - before;
      return response;
    };

    await timeInterleaved(20, { warmUp: miss('warm-up') });
    await tts(hitBody);
    const rounds: Record<'direct' | 'miss' | 'hit' | 'added', Latency>[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const timed = await timeInterleaved(SEQUENTIAL, { direct, miss: miss(`miss-${round}`), hit });
      const added = {
        p50: timed.miss.p50 - timed.direct.p50,
        p95: timed.miss.p95 - timed.direct.p95,
      };
      rounds.push({ ...timed, added });
    }
    /** A figure's median over the rounds. */
    const overRounds = (figure: keyof (typeof rounds)[number]): Latency => {
      const median = (stat: keyof Latency) =>
        percentile(
          rounds.map((each) => each[figure][stat]).sort((a, b) => a - b),
          50,
        );
      return { p50: median('p50'), p95: median('p95') };
    };
    const [upstream, missLatency, hitLatency, added] = (
      ['direct', 'miss', 'hit', 'added'] as const
    ).map(overRounds) as [Latency, Latency, Latency, Latency];
    const missThroughput = await throughput(miss('concurrent'));
    const hitThroughput = await throughput(hit);

    const round = (n: number) => Math.round(n * 100) / 100;
    const results = {
      upstreamDirectMs: { p50: round(upstream.p50), p95: round(upstream.p95) },
      cacheMissMs: { p50: round(missLatency.p50), p95: round(missLatency.p95) },
      cacheMissAddedMs: {
        p50: round(added.p50),
        p95: round(added.p95),
        p95EachRound: rounds.map((each) => round(each.added.p95)),
        p95BudgetMs: ADDED_P95_BUDGET_MS,
        p95RatioToBudget: round(added.p95 / ADDED_P95_BUDGET_MS),
      },
      cacheHitMs: { p50: round(hitLatency.p50), p95: round(hitLatency.p95) },
      throughputAt16PerSecond: { miss: round(missThroughput), hit: round(hitThroughput) },
      upstreamCallsOnHits,
    };
    console.log(JSON.stringify(results, null, 2));
    console.table({
      'direct to endpoint': {
        p50: results.upstreamDirectMs.p50,
        p95: results.upstreamDirectMs.p95,
      },
      'tts, cache miss': { p50: results.cacheMissMs.p50, p95: results.cacheMissMs.p95 },
      'tts added (miss)': { p50: results.cacheMissAddedMs.p50, p95: results.cacheMissAddedMs.p95 },
      'tts, cache hit': { p50: results.cacheHitMs.p50, p95: results.cacheHitMs.p95 },
    });
  } finally {
    await backend.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
