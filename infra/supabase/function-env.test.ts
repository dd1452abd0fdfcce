import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENV } from '../../supabase/functions/_shared/functions.ts';
import { planStacks } from '../plan/plan';
import type { StackPlan } from '../plan/run-stack';

/** Every name some function reads. */
const NAMES_READ = [...new Set(Object.values(FUNCTION_ENV).flat())].sort();

/** Contract 3: each name is a Supabase default or a secret every stack declares. */
function undeclared(names: readonly string[], plans: StackPlan[]): string[] {
  const declaredByAll = plans.map((plan) => {
    const secrets = plan.resources.find((r) => r.name === 'function-secrets');
    return new Set((secrets?.inputs.names as string[] | undefined) ?? []);
  });
  return names.filter(
    (name) =>
      !name.startsWith('SUPABASE_') && !declaredByAll.every((declared) => declared.has(name)),
  );
}

describe('edge function environment (contract 3)', () => {
  let plans: StackPlan[];
  beforeAll(async () => {
    plans = await planStacks(['staging', 'prod']);
  });

  it('every variable a function reads is a Supabase default or a secret both stacks declare', () => {
    expect(NAMES_READ).toContain('HF_TOKEN');
    expect(undeclared(NAMES_READ, plans)).toEqual([]);
  });

  it('catches a function that starts reading an undeclared variable', () => {
    expect(undeclared([...NAMES_READ, 'OPENAI_API_KEY'], plans)).toEqual(['OPENAI_API_KEY']);
  });

  it('each stack writes the secrets with its own values, shown only as [secret]', () => {
    for (const plan of plans) {
      const secrets = plan.resources.find((r) => r.name === 'function-secrets');
      expect(secrets?.inputs).toMatchObject({ values: '[secret]', accessToken: '[secret]' });
      expect(secrets?.secretPaths).toEqual(['accessToken', 'values']);
    }
    const settings = plans.map((plan) => plan.resources.find((r) => r.name === 'settings')?.inputs);
    expect(settings.map((s) => s?.projectRef)).toEqual([
      'stagingrefaaaaaaaaaa',
      'prodrefaaaaaaaaaaaaa',
    ]);
    expect(settings.map((s) => (s?.auth as Record<string, unknown>).site_url)).toEqual([
      'https://staging.read-aloud.app',
      'https://read-aloud.app',
    ]);
  });

  it('deploys the functions only after the secrets and the migrations', () => {
    for (const plan of plans) {
      const functions = plan.resources.find((r) => r.name === 'functions');
      expect(functions?.dependsOn).toEqual(['function-secrets', 'migrations']);
    }
  });
});
