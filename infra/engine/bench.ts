import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FakeManagementApi } from '../supabase/testing/fake-management-api';
import { REF } from '../supabase/testing/fake-project';
import {
  engineProject,
  initSupabaseStack,
  SUPABASE_PROGRAM,
  type EngineProject,
} from './testing/engine';

// `npm run bench -w infra` (after the offline plan's): the real engine's wall time for a first
// `up`, a no-op `up` and a `preview` of the stacks' Supabase components against the fake
// Management API, each beside the same step of a program that declares nothing, under the same
// engine in the same round. Prints numbers; asserts nothing; no goal is set for these.
const ROUNDS = 3;
const STEPS = {
  firstUp: ['up', '--yes', '--skip-preview'],
  noOpUp: ['up', '--yes', '--skip-preview'],
  preview: ['preview'],
};
type Step = keyof typeof STEPS;

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

/** Each step's wall time, in order, on a fresh stack of `program`. */
async function timeSteps(program: string, init: (project: EngineProject) => Promise<unknown>) {
  const project = engineProject(program, 'bench-passphrase');
  try {
    await init(project);
    const times = {} as Record<Step, number>;
    for (const [step, args] of Object.entries(STEPS) as [Step, string[]][]) {
      const start = performance.now();
      await project.mustRun(...args);
      times[step] = performance.now() - start;
    }
    return times;
  } finally {
    project.remove();
  }
}

async function main() {
  const loadBefore = loadavg()[0]!;
  const api = await new FakeManagementApi().start();
  const rounds: Record<'components' | 'anchor', Record<Step, number>>[] = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      // Each round's stack writes the same project: the first up of a round starts from nothing.
      api.addProject(REF);
      rounds.push({
        components: await timeSteps(SUPABASE_PROGRAM, (project) =>
          initSupabaseStack(project, { stack: 'bench', api, hfToken: 'hf_bench' }),
        ),
        anchor: await timeSteps(path.join(__dirname, 'testing', 'empty-program.ts'), (project) =>
          project.mustRun('stack', 'init', 'bench'),
        ),
      });
    }
  } finally {
    await api.stop();
  }
  const rows = (Object.keys(STEPS) as Step[]).map((step) => {
    const components = median(rounds.map((r) => r.components[step]));
    const anchor = median(rounds.map((r) => r.anchor[step]));
    return {
      step: `pulumi ${STEPS[step].join(' ')}${step === 'firstUp' ? ' (fresh stack)' : ''}`,
      componentsMs: Math.round(components),
      emptyProgramMs: Math.round(anchor),
      ratio: Number((components / anchor).toFixed(2)),
    };
  });
  console.log(
    JSON.stringify({
      benchmark: 'engine',
      rounds: ROUNDS,
      load: { before: loadBefore, after: loadavg()[0] },
      rows,
    }),
  );
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
