import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalBackend } from './local-backend';
import { run } from './local-backend/processes';
import { serveFunction } from './local-backend/functions';
import { createUser } from './local-backend/users';

// `npm run bench:backend`: what tts adds over calling the speech endpoint directly, on loopback,
// for cache misses and hits, one at a time (latency) and 16 at a time (throughput), each read
// against an anchor run beside it: a bare Deno.serve pass-through proxy to the same endpoint
// (supabase/functions/testing/bare-proxy.ts), with the same bodies and concurrency. Beside it runs
// the floor: the same pass-through after one database round trip (testing/proxy-after-query.ts),
// which tts cannot go below, since it must charge the caller before it calls the endpoint; each
// figure is also given over the floor, which is what tts itself adds. A miss is
// measured twice: speech asked for the first time, and speech another instance was asked for once,
// which is made again and then cached. A hit is measured twice too: speech the instance answered
// before (it keeps it), and speech another instance cached, which comes out of Postgres.
// The throughput runs also say where each call's CPU went: the function's Deno process, Postgres
// (the postmaster and its children), and this process, which is both the client and the endpoint.
// Prints numbers only. Latency is measured in rounds, interleaved, and each figure is the median
// over them, so that one burst of load from elsewhere on the machine does not decide a p95; each
// throughput share is the median over rounds of a run beside its anchor's, with their range.
const ROUNDS = 7;
const SEQUENTIAL = 200;
const CONCURRENT = { workers: 16, requests: 400 };
/** The issue's goals: tts's added latency over the bare proxy's, and its share of its throughput. */
const GOAL = { missP95Ratio: 2, hitP95Ratio: 1.5, throughputShare: 0.7 };

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

const CLOCK_TICKS = Number(run('getconf', ['CLK_TCK']));

/** Fields of /proc/PID/stat after the command name, which may hold spaces. */
const procStat = (pid: number | string) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};

/** CPU milliseconds (user and system) a process has used so far; undefined once it is gone. */
function cpuMs(pid: number) {
  try {
    const fields = procStat(pid);
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000;
  } catch {
    return undefined;
  }
}

/** Starts counting the processes' CPU; the result gives the milliseconds used since. */
function cpuSince(pids: number[]) {
  const start = new Map(pids.map((pid) => [pid, cpuMs(pid)]));
  return () =>
    pids.reduce((sum, pid) => {
      const [then, now] = [start.get(pid), cpuMs(pid)];
      return then === undefined || now === undefined ? sum : sum + now - then;
    }, 0);
}

/** The postmaster and its children: the server's share of the machine. */
function postgresPids(postmaster: number) {
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return Number(procStat(pid)[1]) === postmaster;
      } catch {
        return false; // gone since the listing
      }
    });
  return [postmaster, ...children.map(Number)];
}

/** The i-th call, made by one of the concurrent workers. */
type Call = (i: number, worker: number) => Promise<Response>;

/** Makes `requests` calls, `CONCURRENT.workers` at a time; returns the calls per second. */
async function throughput(call: Call, requests = CONCURRENT.requests) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENT.workers }, async (_, worker) => {
      while (next < requests) {
        const response = await call(next++, worker);
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`answered ${response.status}`);
      }
    }),
  );
  return requests / ((performance.now() - start) / 1000);
}

async function main() {
  const backend = await startLocalBackend();
  const proxy = await serveFunction('tts', backend.functionEnv, {
    entry: 'testing/bare-proxy.ts',
  });
  const floor = await serveFunction('tts', backend.functionEnv, {
    entry: 'testing/proxy-after-query.ts',
  });
  // A second tts instance, which has answered none of the speech the first one cached.
  const other = await serveFunction('tts', backend.functionEnv);
  try {
    // A plan whose quota outlasts the bench's million or so characters.
    await backend.sql`insert into public.plan_prices (price_id, plan, monthly_characters)
      values ('price_bench', 'bench', 100000000)`;
    /** A subscriber's access token. */
    const reader = async (n: number) => {
      const userId = await createUser(backend.sql, `bench-${n}@localhost`);
      await backend.sql`insert into public.subscriptions
        (user_id, stripe_customer_id, stripe_subscription_id, price_id, status, last_event_at)
        values (${userId}, ${`cus_bench_${n}`}, ${`sub_bench_${n}`}, 'price_bench', 'active', now())`;
      return backend.signToken(userId);
    };
    // Each concurrent worker is a reader of its own, as 16 people reading at once would be; the
    // calls made one at a time are the first reader's.
    const readers = await Promise.all(
      Array.from({ length: CONCURRENT.workers }, (_, n) => reader(n)),
    );
    const token = readers[0]!;
    const endpoint = backend.speechEndpoint;
    const text = (label: string, i: number) =>
      `Benchmark sentence ${label} number ${i}, read aloud.`;
    const speech = (label: string, i: number) =>
      JSON.stringify({ text: text(label, i), voice: 'af_heart', speed: 1 });
    const direct = (i: number) =>
      fetch(endpoint.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
        body: speech('direct', i),
      });
    /** A call to one of the pass-throughs, with its own text. */
    const passThrough =
      ({ port }: { port: number }, label: string) =>
      (i: number) =>
        fetch(`http://127.0.0.1:${port}/`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: speech(label, i),
        });
    const bare = passThrough(proxy, 'proxy');
    const afterQuery = passThrough(floor, 'floor');
    const ttsAt =
      (url: string) =>
      (body: string, bearer = token) =>
        fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body,
        });
    const tts = ttsAt(backend.functionUrls.get('tts')!);
    const otherTts = ttsAt(`http://127.0.0.1:${other.port}/functions/v1/tts`);
    const miss = (label: string) => (i: number) => tts(speech(label, i));
    const hitBody = speech('hit', 0);
    let upstreamCallsOnHits = 0;
    /** A cache hit, counting any call it makes to the endpoint (there should be none). */
    const counted = async (call: () => Promise<Response>) => {
      const before = endpoint.requests.length;
      const response = await call();
      upstreamCallsOnHits += endpoint.requests.length - before;
      return response;
    };
    const hit = () => counted(() => tts(hitBody));
    /** Speech asked of the other instance, by the worker's reader (the first reader's, in turn). */
    const askOther =
      (label: string) =>
      (i: number, worker = 0) =>
        otherTts(speech(label, i), readers[worker]);
    /** Speech the first instance cached, asked of the other: each once, so always from Postgres. */
    const databaseHit = (round: number) => (i: number) =>
      counted(() => askOther(`database-hit-${round}`)(i));

    await timeInterleaved(20, { warmUp: miss('warm-up'), proxy: bare });
    const cacheSize = async () =>
      (await backend.sql<{ n: number }[]>`select count(*)::int as n from public.speech_answers`)[0]!
        .n;
    const cachedBefore = await cacheSize();
    // Speech is cached on its second request: the first instance asks for each hit twice, and
    // once for each second request.
    for (let ask = 0; ask < 2; ask += 1) {
      await tts(hitBody);
      for (let round = 0; round < ROUNDS; round += 1) {
        await throughput(miss(`database-hit-${round}`), SEQUENTIAL);
      }
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      await throughput(miss(`second-${round}`), SEQUENTIAL);
      await throughput(miss(`concurrent-second-${round}`), CONCURRENT.requests);
    }
    // The cache writes end after the answers: wait for them before the other instance asks.
    while ((await cacheSize()) < cachedBefore + ROUNDS * SEQUENTIAL + 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    type Figure = 'direct' | 'proxy' | 'floor' | 'miss' | 'secondAsk' | 'hit' | 'databaseHit';
    /** What the tables call each figure. */
    const LABEL: Record<Exclude<Figure, 'direct'>, string> = {
      proxy: 'bare proxy (anchor)',
      floor: 'floor: proxy after one query',
      miss: 'tts, cache miss',
      secondAsk: 'tts, miss asked before',
      hit: 'tts, cache hit',
      databaseHit: 'tts, hit from Postgres',
    };
    const rounds: Record<Figure, Latency>[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      rounds.push(
        await timeInterleaved(SEQUENTIAL, {
          direct,
          proxy: bare,
          floor: afterQuery,
          miss: miss(`miss-${round}`),
          // Asked of the first instance once: made again, then cached.
          secondAsk: askOther(`second-${round}`),
          hit,
          databaseHit: databaseHit(round),
        }),
      );
    }
    /** What a figure adds over calling the endpoint directly, as the median over the rounds. */
    const added = (figure: Figure): Latency => {
      const median = (stat: keyof Latency) =>
        percentile(
          rounds.map((each) => each[figure][stat] - each.direct[stat]).sort((a, b) => a - b),
          50,
        );
      return { p50: median('p50'), p95: median('p95') };
    };
    const round = (n: number) => Math.round(n * 100) / 100;
    const medianOf = (list: number[]) =>
      percentile(
        [...list].sort((a, b) => a - b),
        50,
      );
    // Where a call's CPU goes: the function's process, Postgres, and this one (client and endpoint).
    const { data_directory: dataDirectory } = (
      await backend.sql<{ data_directory: string }[]>`show data_directory`
    )[0]!;
    const postmaster = Number(
      readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    type Share = 'function' | 'postgres' | 'clientAndEndpoint';
    const RUNS = ['proxy', 'floor', 'miss', 'secondAsk', 'hit'] as const;
    type Run = (typeof RUNS)[number];
    /** One value per run, each made by `make`. */
    const perRun = <T>(make: (run: Run) => T) =>
      Object.fromEntries(RUNS.map((run) => [run, make(run)])) as Record<Run, T>;
    const cpu = perRun((): Record<Share, number[]> => ({
      function: [],
      postgres: [],
      clientAndEndpoint: [],
    }));
    const throughputs = perRun((): number[] => []);
    /** A throughput run, with the CPU each call cost; the function is the process `functionPid`. */
    const measure = async (name: Run, functionPid: number, call: Call) => {
      const used = {
        function: cpuSince([functionPid]),
        postgres: cpuSince(postgresPids(postmaster)),
        clientAndEndpoint: cpuSince([process.pid]),
      };
      throughputs[name].push(await throughput(call));
      for (const share of Object.keys(used) as Share[]) {
        cpu[name][share].push(used[share]() / CONCURRENT.requests);
      }
    };
    // The second instance serves these runs: its process is the one this bench started.
    const otherHit: Call = (_, worker) => counted(() => otherTts(hitBody, readers[worker]));
    await otherHit(0, 0);
    for (let round = 0; round < ROUNDS; round += 1) {
      await measure('proxy', proxy.pid, bare);
      await measure('floor', floor.pid, afterQuery);
      await measure('miss', other.pid, askOther(`concurrent-${round}`));
      await measure('secondAsk', other.pid, askOther(`concurrent-second-${round}`));
      await measure('hit', other.pid, otherHit);
    }
    const perSecond = perRun((run) => medianOf(throughputs[run]));
    /** Each round's throughput over the anchor's in the same round: the median, and the range. */
    const shareOfProxy = (name: Exclude<Run, 'proxy'>) => {
      const shares = throughputs[name].map((each, i) => each / throughputs.proxy[i]!);
      return {
        median: round(medianOf(shares)),
        range: [round(Math.min(...shares)), round(Math.max(...shares))],
      };
    };
    const cpuPerCall = (name: Run) => {
      const shares = Object.fromEntries(
        (Object.keys(cpu[name]) as Share[]).map((share) => [
          share,
          round(medianOf(cpu[name][share])),
        ]),
      ) as Record<Share, number>;
      return {
        ...shares,
        total: round(shares.function + shares.postgres + shares.clientAndEndpoint),
      };
    };

    const anchor = added('proxy');
    const least = added('floor');
    const rounded = ({ p50, p95 }: Latency) => ({ p50: round(p50), p95: round(p95) });
    const ratio = (own: Latency, to: Latency) => ({
      p50: round(own.p50 / to.p50),
      p95: round(own.p95 / to.p95),
    });
    const against = (figure: Exclude<Figure, 'direct' | 'proxy' | 'floor'>, goal: number) => {
      const own = added(figure);
      return {
        addedMs: rounded(own),
        ratioToProxy: ratio(own, anchor),
        ratioToFloor: ratio(own, least),
        p95Goal: goal,
      };
    };
    const results = {
      upstreamDirectMs: {
        p50: round(medianOf(rounds.map((r) => r.direct.p50))),
        p95: round(medianOf(rounds.map((r) => r.direct.p95))),
      },
      bareProxyAddedMs: rounded(anchor),
      floor: {
        addedMs: rounded(least),
        ratioToProxy: ratio(least, anchor),
      },
      cacheMiss: against('miss', GOAL.missP95Ratio),
      cacheMissAskedBefore: against('secondAsk', GOAL.missP95Ratio),
      cacheHit: against('hit', GOAL.hitP95Ratio),
      cacheHitFromDatabase: against('databaseHit', GOAL.hitP95Ratio),
      throughputAt16PerSecond: {
        proxy: round(perSecond.proxy),
        floor: round(perSecond.floor),
        miss: round(perSecond.miss),
        missAskedBefore: round(perSecond.secondAsk),
        hit: round(perSecond.hit),
        floorShareOfProxy: shareOfProxy('floor'),
        missShareOfProxy: shareOfProxy('miss'),
        missAskedBeforeShareOfProxy: shareOfProxy('secondAsk'),
        hitShareOfProxy: shareOfProxy('hit'),
        shareGoal: GOAL.throughputShare,
      },
      cpuMsPerCallAt16: {
        proxy: cpuPerCall('proxy'),
        floor: cpuPerCall('floor'),
        miss: cpuPerCall('miss'),
        missAskedBefore: cpuPerCall('secondAsk'),
        hit: cpuPerCall('hit'),
      },
      upstreamCallsOnHits,
    };
    console.log(JSON.stringify(results, null, 2));
    const row = (
      name: string,
      figure: { addedMs: Latency; ratioToProxy: Latency; ratioToFloor?: Latency },
      goal = '',
    ) => ({
      [name]: {
        'added p50 ms': figure.addedMs.p50,
        'added p95 ms': figure.addedMs.p95,
        'p50 ratio': figure.ratioToProxy.p50,
        'p95 ratio': figure.ratioToProxy.p95,
        goal,
        'p95 over floor': figure.ratioToFloor?.p95 ?? '',
      },
    });
    console.table({
      [LABEL.proxy]: {
        'added p50 ms': results.bareProxyAddedMs.p50,
        'added p95 ms': results.bareProxyAddedMs.p95,
      },
      ...row(LABEL.floor, results.floor),
      ...row(LABEL.miss, results.cacheMiss, `p95 ratio <= ${GOAL.missP95Ratio}`),
      ...row(LABEL.secondAsk, results.cacheMissAskedBefore, `p95 ratio <= ${GOAL.missP95Ratio}`),
      ...row(LABEL.hit, results.cacheHit, `p95 ratio <= ${GOAL.hitP95Ratio}`),
      ...row(LABEL.databaseHit, results.cacheHitFromDatabase, `p95 ratio <= ${GOAL.hitP95Ratio}`),
    });
    const at16 = results.throughputAt16PerSecond;
    const shareRow = (
      perSecond: number,
      share: { median: number; range: number[] },
      goal = `>= ${GOAL.throughputShare}`,
    ) => ({
      '/s': perSecond,
      'share of proxy': share.median,
      'share range': share.range.join('-'),
      goal,
    });
    console.table({
      [LABEL.proxy]: { '/s': at16.proxy },
      [LABEL.floor]: shareRow(at16.floor, at16.floorShareOfProxy, ''),
      [LABEL.miss]: shareRow(at16.miss, at16.missShareOfProxy),
      [LABEL.secondAsk]: shareRow(at16.missAskedBefore, at16.missAskedBeforeShareOfProxy),
      [LABEL.hit]: shareRow(at16.hit, at16.hitShareOfProxy),
    });
    console.table({
      [LABEL.proxy]: results.cpuMsPerCallAt16.proxy,
      [LABEL.floor]: results.cpuMsPerCallAt16.floor,
      [LABEL.miss]: results.cpuMsPerCallAt16.miss,
      [LABEL.secondAsk]: results.cpuMsPerCallAt16.missAskedBefore,
      [LABEL.hit]: results.cpuMsPerCallAt16.hit,
    });
  } finally {
    await other.stop();
    await floor.stop();
    await proxy.stop();
    await backend.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
