import type { Stryker } from '@stryker-mutator/core';

type MutantResult = Awaited<ReturnType<Stryker['runMutationTest']>>[number];

export interface MutationModule {
  /** What `npm run test:mutation -- NAME` selects. */
  name: string;
  mutate: string;
  /** The module's own tests: its score says what they notice, not what the whole suite does. */
  testFiles: string[];
}

export const THRESHOLD = 85;

export const MODULES: MutationModule[] = [
  {
    name: 'word-timings',
    mutate: 'hf-handler/src/timing/word-timings.ts',
    testFiles: ['hf-handler/src/timing/word-timings.test.ts'],
  },
  {
    name: 'chunks',
    mutate: 'hf-handler/src/text/chunks.ts',
    testFiles: ['hf-handler/src/text/chunks.test.ts', 'hf-handler/src/text/chunks.limits.test.ts'],
  },
  {
    name: 'function-secrets',
    mutate: 'infra/supabase/function-secrets.ts',
    testFiles: ['infra/supabase/providers.test.ts', 'infra/supabase/function-secrets.test.ts'],
  },
  {
    name: 'project-settings',
    mutate: 'infra/supabase/project-settings.ts',
    testFiles: ['infra/supabase/providers.test.ts', 'infra/supabase/project-settings.test.ts'],
  },
  {
    name: 'rollout',
    mutate: 'infra/hf/hf-endpoint-rollout.ts',
    testFiles: ['infra/hf/hf-endpoint-rollout.test.ts'],
  },
  {
    name: 'config',
    mutate: 'infra/config.ts',
    testFiles: [
      'infra/config.test.ts',
      'infra/config.values.test.ts',
      'infra/config.namespaces.test.ts',
    ],
  },
];

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** Stryker's mutation score: detected over valid mutants; ignored and erroring ones do not count. */
export function mutationScore(results: Pick<MutantResult, 'status'>[]): number {
  const detected = results.filter((r) => DETECTED.has(r.status)).length;
  const valid = detected + results.filter((r) => UNDETECTED.has(r.status)).length;
  return valid === 0 ? 100 : (100 * detected) / valid;
}

export function selectModules(names: string[]): MutationModule[] {
  const unknown = names.filter((name) => !MODULES.some((m) => m.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown module ${unknown.join(', ')}; known: ${MODULES.map((m) => m.name).join(', ')}`,
    );
  }
  return names.length === 0 ? MODULES : MODULES.filter((m) => names.includes(m.name));
}

async function run(target: MutationModule): Promise<MutantResult[]> {
  // Stryker is an ES module; this script is CommonJS like the rest of the repository.
  const { Stryker } = await import('@stryker-mutator/core');
  // Read by vitest.mutation.config.mts in Stryker's test runner processes.
  process.env.MUTATION_TEST_FILES = target.testFiles.join(',');
  return new Stryker({
    mutate: [target.mutate],
    htmlReporter: { fileName: `reports/mutation/${target.name}.html` },
    jsonReporter: { fileName: `reports/mutation/${target.name}.json` },
  }).runMutationTest();
}

/** One line per module: its score, its mutant counts, and whether it meets the threshold. */
export function scoreLine(name: string, results: Pick<MutantResult, 'status'>[]): string {
  const score = mutationScore(results);
  const ignored = results.filter((r) => r.status === 'Ignored').length;
  return (
    `${score >= THRESHOLD ? 'ok ' : 'LOW'} ${name.padEnd(16)} ${score.toFixed(1).padStart(5)}%` +
    `  (${results.length} mutants, ${ignored} set aside as equivalent; threshold ${THRESHOLD}%)`
  );
}

async function main(args: string[]) {
  const lines: string[] = [];
  for (const target of selectModules(args)) {
    const results = await run(target);
    lines.push(scoreLine(target.name, results));
    console.log(lines.at(-1));
  }
  console.log(`\nmutation scores (reports in reports/mutation/):\n${lines.join('\n')}`);
  if (lines.some((line) => line.startsWith('LOW'))) process.exitCode = 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
}
