import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planStacks } from '../plan/plan';
import type { PlannedResource, StackPlan } from '../plan/run-stack';
import { repoRoot } from '../paths';
import { zipEntry } from './testing/fake-chrome-web-store';

const COMMAND = 'command:local:Command';
const REFS = { staging: 'stagingrefaaaaaaaaaa', prod: 'prodrefaaaaaaaaaaaaa' } as const;

let plans: Record<'staging' | 'prod', StackPlan>;
beforeAll(async () => {
  process.env.EXTENSION_VERSION = '2.3.4';
  const [staging, prod] = (await planStacks(['staging', 'prod'])) as [StackPlan, StackPlan];
  plans = { staging, prod };
}, 180_000);

const named = (plan: StackPlan, name: string) =>
  plan.resources.find((r) => r.name === name) as PlannedResource;
const settingsOf = (r: PlannedResource) =>
  Object.fromEntries(
    [...String(r.inputs.create).matchAll(/([A-Z_0-9]+)=(\S+)/g)].map(([, k, v]) => [
      k,
      v!.replace(/\\/g, ''),
    ]),
  );

describe('the extension release in each stack, under mocks', () => {
  it.each(['staging', 'prod'] as const)(
    '%s builds against its own Supabase project outputs (contract 5)',
    (stack) => {
      const plan = plans[stack];
      const release = named(plan, 'store-release');
      expect(release.parent).toBe('extension');
      expect(release.dependsOn).toContain('anon-key');
      const url = `https://${REFS[stack]}.supabase.co`;
      expect(plan.outputs.supabaseUrl).toBe(url);
      expect(settingsOf(release).EXTENSION_API_BASE).toBe(url);
      // The zip the command uploads carries that URL as its API base, and that project's key.
      const zip = readFileSync(path.join(repoRoot, settingsOf(release).EXTENSION_ZIP!));
      const worker = zipEntry(zip, 'background.js')!.toString('utf8');
      expect(worker).toContain(`apiBase:"${url}"`);
      expect(worker).toContain(`anonKey:"plan-anon-key-of-${REFS[stack]}"`);
      const other = stack === 'prod' ? REFS.staging : REFS.prod;
      expect(worker).not.toContain(other);
    },
  );

  it('shows the version, the zip hash, the publish type and the percentage of each stack', () => {
    const prod = named(plans.prod, 'store-release');
    expect(settingsOf(prod)).toMatchObject({
      EXTENSION_VERSION: '2.3.4',
      CWS_PUBLISH_TYPE: 'STAGED_PUBLISH',
      CWS_DEPLOY_PERCENTAGE: '10',
      CWS_EXTENSION_ID: 'abcdefghijklmnopabcdefghijklmnop',
    });
    const [zipHash, version] = prod.inputs.triggers as string[];
    expect(settingsOf(prod).EXTENSION_ZIP_SHA256).toBe(zipHash);
    expect(version).toBe('2.3.4');
    expect(plans.prod.outputs.extension).toEqual({
      version: '2.3.4',
      zipSha256: zipHash,
      publishType: 'STAGED_PUBLISH',
      deployPercentage: 10,
    });
    expect(named(plans.prod, 'deploy-percentage').inputs.triggers).toEqual([10]);

    const staging = named(plans.staging, 'store-release');
    expect(settingsOf(staging)).toMatchObject({
      CWS_PUBLISH_TYPE: 'DEFAULT_PUBLISH',
      CWS_EXTENSION_ID: 'bcdefghijklmnopabcdefghijklmnopa',
    });
    expect(settingsOf(staging).CWS_DEPLOY_PERCENTAGE).toBeUndefined();
    expect(plans.staging.resources.some((r) => r.name === 'deploy-percentage')).toBe(false);
    // Different API bases, so different builds.
    expect((staging.inputs.triggers as string[])[0]).not.toBe(zipHash);
  });

  it('keeps the store credentials secret, in the environment only', () => {
    for (const plan of Object.values(plans)) {
      for (const r of plan.resources.filter((r) => r.parent === 'extension')) {
        expect(r.type).toBe(COMMAND);
        expect(r.secretPaths).toEqual(['environment']);
        expect(String(r.inputs.create)).not.toMatch(/CWS_CLIENT|CWS_REFRESH/);
      }
    }
  });

  it('writes no store credential or item setting to GitHub, and no workflow reads one', () => {
    const ghNames = (plan: StackPlan) =>
      plan.resources.map((r) => String(r.inputs.secretName ?? r.inputs.variableName ?? ''));
    for (const plan of Object.values(plans)) {
      expect(ghNames(plan).filter((name) => name.startsWith('CWS_'))).toEqual([]);
    }
    const workflows = readdirSync(path.join(repoRoot, '.github'), { recursive: true })
      .map(String)
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => readFileSync(path.join(repoRoot, '.github', file), 'utf8'));
    expect(workflows.filter((text) => /CWS_|EXTENSION_VERSION/.test(text))).toEqual([]);
  });

  it('protects the prod release, not the staging one; its commands, which a trigger replaces, never', () => {
    const release = (plan: StackPlan) =>
      plan.resources
        .filter((r) => r.name === 'extension' || r.parent === 'extension')
        .map((r) => [r.name, r.protect]);
    expect(release(plans.prod)).toEqual([
      ['extension', true],
      ['deploy-percentage', false],
      ['store-release', false],
    ]);
    expect(release(plans.staging).every(([, protect]) => !protect)).toBe(true);
  });
});
