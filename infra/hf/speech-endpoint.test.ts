import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'shell-quote';
import { beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_ENV_VARS } from '../../hf-handler/src/env';
import { HEALTH_ROUTE } from '../../speech/index.ts';
import { repoRoot } from '../paths';
import { planStacks } from '../plan/plan';
import type { PlannedResource, StackPlan } from '../plan/run-stack';
import { startFakeHfEndpoints } from './testing/fake-hf-endpoints';
import { handlerSourceHash } from './speech-endpoint';

const resource = (plan: StackPlan, name: string) =>
  plan.resources.find((r) => r.name === name) as PlannedResource;

/** The `NAME=value` settings at the head of the rollout command, as the shell reads them. */
function commandSettings(command: string): Record<string, string> {
  const words = parse(command).filter((w): w is string => typeof w === 'string');
  return Object.fromEntries(
    words
      .filter((w) => /^[A-Z_]+=/.test(w))
      .map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
  );
}

describe('the speech endpoint under mocks', () => {
  let plans: StackPlan[];
  beforeAll(async () => {
    plans = await planStacks(['staging', 'prod']);
  });

  it('rolls out only after the image, triggered by its digest', () => {
    for (const plan of plans) {
      const rollout = resource(plan, 'endpoint-rollout');
      expect(rollout.dependsOn).toEqual(['handler-image']);
      const settings = commandSettings(rollout.inputs.create as string);
      const digest = (rollout.inputs.triggers as string[])[0] as string;
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(settings.HF_ENDPOINT_IMAGE).toBe(`ghcr.io/read-aloud/kokoro-handler@${digest}`);
    }
  });

  it('sets every variable the handler reads (contract 4), on the port and route it serves', () => {
    for (const plan of plans) {
      const settings = commandSettings(resource(plan, 'endpoint-rollout').inputs.create as string);
      const env = JSON.parse(settings.HF_ENDPOINT_ENV as string) as Record<string, string>;
      expect(Object.keys(env).sort()).toEqual([...HANDLER_ENV_VARS].sort());
      expect(env.PORT).toBe(settings.HF_ENDPOINT_PORT);
      expect(settings.HF_ENDPOINT_HEALTH_ROUTE).toBe(HEALTH_ROUTE);
    }
    expect(
      plans.map(
        (plan) =>
          commandSettings(resource(plan, 'endpoint-rollout').inputs.create as string)
            .HF_ENDPOINT_NAME,
      ),
    ).toEqual(['kokoro-staging', 'kokoro-prod']);
  });

  it('keeps the token and the registry credentials secret', () => {
    for (const plan of plans) {
      expect(resource(plan, 'endpoint-rollout').inputs.environment).toBe('[secret]');
      expect(resource(plan, 'handler-image').secretPaths).toEqual(['registries']);
    }
  });

  it('runs the exact planned command against the endpoints API', async () => {
    const command = resource(plans[0] as StackPlan, 'endpoint-rollout').inputs.create as string;
    const api = await startFakeHfEndpoints({
      token: 'hf_test_token',
      namespace: 'read-aloud',
      name: 'kokoro-staging',
      image: 'ghcr.io/read-aloud/kokoro-handler@sha256:' + 'a'.repeat(64),
    });
    try {
      await promisify(execFile)('/bin/sh', ['-c', command], {
        cwd: repoRoot,
        env: {
          ...process.env,
          HF_TOKEN: 'hf_test_token',
          HF_ENDPOINTS_API_URL: api.apiBase,
          HF_ENDPOINT_POLL_SECONDS: '0.01',
        },
      });
      expect(api.currentImage()).toBe(commandSettings(command).HF_ENDPOINT_IMAGE);
      expect(Object.keys(api.env()).sort()).toEqual([...HANDLER_ENV_VARS].sort());
    } finally {
      await api.close();
    }
  }, 60_000);
});

describe('the handler image tag', () => {
  function copyOfHandler(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'repo-'));
    for (const part of [
      'hf-handler/src',
      'hf-handler/package.json',
      'hf-handler/Dockerfile',
      'speech',
      'package-lock.json',
    ]) {
      cpSync(path.join(repoRoot, part), path.join(dir, part), { recursive: true });
    }
    return dir;
  }

  it('changes with the handler sources or the lockfile, not with its tests', () => {
    const dir = copyOfHandler();
    const before = handlerSourceHash(dir);
    expect(handlerSourceHash(dir)).toBe(before);
    writeFileSync(path.join(dir, 'hf-handler/src/env.test.ts'), '// changed\n');
    writeFileSync(path.join(dir, 'speech/validate.test.ts'), '// changed\n');
    expect(handlerSourceHash(dir)).toBe(before);
    writeFileSync(path.join(dir, 'hf-handler/src/log.ts'), '// changed\n');
    expect(handlerSourceHash(dir)).not.toBe(before);
  });

  it('changes with the speech contract the handler bundles', () => {
    const dir = copyOfHandler();
    const before = handlerSourceHash(dir);
    writeFileSync(path.join(dir, 'speech/endpoint.ts'), '// changed\n');
    expect(handlerSourceHash(dir)).not.toBe(before);
  });
});
