import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STACKS } from '../config';
import { repoRoot } from '../paths';
import { stackSettings } from './cli-common';

const schedulesOf = (file: string) =>
  (
    parse(readFileSync(path.join(repoRoot, '.github/workflows', file), 'utf8')) as {
      on: { schedule: { cron: string }[] };
    }
  ).on.schedule.map((s) => s.cron);

describe('the scheduled workflows and the stack settings', () => {
  it('health.yml runs on every health schedule a stack declares', () => {
    const declared = STACKS.map((stack) => stackSettings(stack).monitoring.healthSchedule);
    expect(schedulesOf('health.yml')).toEqual(expect.arrayContaining(declared));
  });

  it('drift.yml and health.yml have a job per stack, in that stack drift or health environment', () => {
    for (const file of ['drift.yml', 'health.yml']) {
      const jobs = (
        parse(readFileSync(path.join(repoRoot, '.github/workflows', file), 'utf8')) as {
          jobs: Record<string, { environment: string; steps: { run?: string }[] }>;
        }
      ).jobs;
      const kind = file.replace('.yml', '');
      for (const stack of STACKS) {
        const { environment } = stackSettings(stack);
        const job = Object.values(jobs).find((j) => j.environment === `${environment}-${kind}`);
        expect(job?.steps.some((s) => s.run?.includes(`npm run ${kind} -- --stack ${stack}`))).toBe(
          true,
        );
      }
    }
  });
});
