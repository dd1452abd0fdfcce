import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { STACKS } from '../config';
import { repoRoot } from '../paths';
import type { StackPlan } from './run-stack';

// `npm run bench -w infra`: the offline plan as a user runs it (`npm run plan`, a fresh process,
// wall time) against an anchor run in the same minute: a bare program on the same SDK declaring
// as many resources under the same mocks (anchor.mjs). Prints numbers; asserts nothing.
const GOAL = { stackToAnchor: 1.5, bothToOneStack: 2 };

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

function wallMs(command: string, args: string[]): number {
  const start = performance.now();
  const run = spawnSync(command, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${String(run.stderr)}`);
  return ms;
}

const plan = (stacks: string[]) =>
  wallMs('npm', ['run', '--silent', 'plan', '--', ...stacks.flatMap((s) => ['--stack', s])]);
const anchor = (resources: number) =>
  wallMs(process.execPath, [path.join(__dirname, 'anchor.mjs'), String(resources)]);

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const round = (n: number, places = 0) => Number(n.toFixed(places));

function resourceCounts(): Record<string, number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'plan-bench-'));
  try {
    const json = path.join(dir, 'plan.json');
    const run = spawnSync('npm', ['run', '--silent', 'plan', '--', '--json', json], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
    if (run.status !== 0) throw new Error(`npm run plan exited ${run.status}`);
    const plans = JSON.parse(readFileSync(json, 'utf8')) as Record<string, StackPlan>;
    return Object.fromEntries(STACKS.map((s) => [s, plans[s]!.resources.length]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const loadBefore = loadavg()[0]!;
  // The first plan after a change to its sources also builds its bundle (infra/plan/launch.mjs).
  rmSync(path.join(__dirname, '..', 'node_modules', '.cache', 'plan', 'manifest.json'), {
    force: true,
  });
  const firstRunMs = plan([STACKS[0]!]);
  const counts = resourceCounts();
  const times = {
    both: [] as number[],
    ...Object.fromEntries(
      STACKS.flatMap((s) => [
        [s, [] as number[]],
        [`anchor ${s}`, []],
      ]),
    ),
  } as Record<string, number[]>;
  // Interleaved, so that load from elsewhere on the machine weighs on each alike.
  for (let i = 0; i < runs; i++) {
    for (const stack of STACKS) {
      times[`anchor ${stack}`]!.push(anchor(counts[stack]!));
      times[stack]!.push(plan([stack]));
    }
    times.both!.push(plan(STACKS));
  }
  const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const oneStackMs = Math.max(...STACKS.map((s) => medians[s]!));
  const rows = [
    ...STACKS.map((stack) => ({
      what: `npm run plan -- --stack ${stack}`,
      resources: counts[stack],
      medianMs: round(medians[stack]!),
      against: `anchor, ${counts[stack]} resources`,
      againstMs: round(medians[`anchor ${stack}`]!),
      ratio: round(medians[stack]! / medians[`anchor ${stack}`]!, 2),
      goal: `<= ${GOAL.stackToAnchor}`,
    })),
    {
      what: 'npm run plan (both stacks)',
      resources: STACKS.reduce((n, s) => n + counts[s]!, 0),
      medianMs: round(medians.both!),
      against: 'the slower single stack',
      againstMs: round(oneStackMs),
      ratio: round(medians.both! / oneStackMs, 2),
      goal: `<= ${GOAL.bothToOneStack}`,
    },
  ];
  const load = { before: loadBefore, after: loadavg()[0]! };
  console.log(
    JSON.stringify({ benchmark: 'offline-plan', runs, firstRunMs: round(firstRunMs), load, rows }),
  );
  console.table(rows);
}

main();
