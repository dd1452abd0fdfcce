import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { STACKS } from '../config';
import { planStack } from './plan';

// Wall time of one stack's plan as a user sees it: a fresh process, the program under mocks.
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
  const runs = Number(values.runs);
  const budgetMs = 3000;
  const rows = [];
  for (const stack of STACKS) {
    const times: number[] = [];
    let resources = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      resources = (await planStack(stack)).resources.length;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const medianMs = Math.round(times[Math.floor(times.length / 2)] ?? 0);
    rows.push({
      stack,
      runs,
      medianMs,
      minMs: Math.round(times[0] ?? 0),
      resources,
      budgetMs,
      ratioToBudget: +(medianMs / budgetMs).toFixed(2),
    });
  }
  console.log(JSON.stringify({ benchmark: 'offline-plan', rows }, null, 2));
  console.table(rows);
}

void main();
