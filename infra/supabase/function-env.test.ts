import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../paths';
import { planStacks } from '../plan/plan';
import type { StackPlan } from '../plan/run-stack';

const FUNCTIONS_DIR = path.join(repoRoot, 'supabase/functions');

/** Every name the functions read with `Deno.env.get`, tests aside. */
function namesReadBy(functionsDir: string): string[] {
  const sources = readdirSync(functionsDir, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('_test.ts'),
  );
  const names = sources.flatMap((file) =>
    [
      ...readFileSync(path.join(functionsDir, file), 'utf8').matchAll(
        /Deno\.env\.get\(\s*['"]([^'"]+)['"]/g,
      ),
    ].map((m) => m[1] as string),
  );
  return [...new Set(names)].sort();
}

/** Contract 3: each name is a Supabase default or a secret every stack declares. */
function undeclared(functionsDir: string, plans: StackPlan[]): string[] {
  const declaredByAll = plans.map((plan) => {
    const secrets = plan.resources.find((r) => r.name === 'function-secrets');
    return new Set((secrets?.inputs.names as string[] | undefined) ?? []);
  });
  return namesReadBy(functionsDir).filter(
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
    expect(namesReadBy(FUNCTIONS_DIR)).toContain('HF_TOKEN');
    expect(undeclared(FUNCTIONS_DIR, plans)).toEqual([]);
  });

  it('catches a function that starts reading an undeclared variable', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'functions-'));
    writeFileSync(path.join(dir, 'new.ts'), "const key = Deno.env.get('OPENAI_API_KEY');\n");
    writeFileSync(path.join(dir, 'new_test.ts'), "Deno.env.get('ONLY_IN_TESTS');\n");
    expect(undeclared(dir, plans)).toEqual(['OPENAI_API_KEY']);
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
