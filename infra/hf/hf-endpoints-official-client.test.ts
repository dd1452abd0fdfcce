import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../paths';
import { startFakeHfEndpoints, type FakeHfEndpointsOptions } from './testing/fake-hf-endpoints';

// huggingface_hub, pinned in scripts/python/requirements.txt, is the API's own client: it raises on
// any key the fake leaves out, so it holds the fake to the real shapes.
const python = path.join(repoRoot, '.cache', 'python', 'bin', 'python');
const driver = path.join(__dirname, 'testing', 'hf_official_client.py');
const TOKEN = 'hf_fake_token';
const IMAGE_V1 = 'registry.example/kokoro@sha256:'.padEnd(95, '1');
const IMAGE_V2 = 'registry.example/kokoro@sha256:'.padEnd(95, '2');

interface Step {
  step: string;
  state?: string;
  url?: string;
  healthRoute?: string;
  image?: { custom?: { url: string } };
  env?: Record<string, string>;
  names?: string[];
  error?: string;
  status?: number | null;
  message?: string;
}

let fake: Awaited<ReturnType<typeof startFakeHfEndpoints>> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function drive(
  scenario: string,
  options: Partial<FakeHfEndpointsOptions>,
  ...images: string[]
) {
  fake = await startFakeHfEndpoints({
    token: TOKEN,
    namespace: 'read-aloud',
    name: 'kokoro-staging',
    image: IMAGE_V1,
    settleAfterPolls: 1,
    ...options,
  });
  const args = [driver, fake.apiBase, 'read-aloud', 'kokoro-staging', scenario, ...images];
  const child = spawn(python, args, {
    // An accidental call to the Hub (a whoami when no namespace is given) fails here, never leaves.
    env: {
      PATH: process.env.PATH,
      HF_TOKEN: TOKEN,
      HF_ENDPOINT: fake.apiBase.replace(/\/v2$/, '/hub'),
      HF_HUB_DISABLE_TELEMETRY: '1',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code, `the client raised where the fake should have satisfied it:\n${stderr}`).toBe(0);
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Step);
}

describe('huggingface_hub against the fake HF Endpoints API', () => {
  it('is installed by the setup script', () => {
    expect(existsSync(python), 'run bash scripts/setup.sh').toBe(true);
  });

  it('creates, waits for running and a healthy route, updates, pauses, resumes and scales to zero', async () => {
    const steps = await drive('lifecycle', { exists: false }, IMAGE_V1, IMAGE_V2);
    expect(steps.map((s) => [s.step, s.state ?? s.names])).toEqual([
      ['create', 'pending'],
      ['wait', 'running'],
      ['get', 'running'],
      ['update', 'updating'],
      ['wait', 'running'],
      ['pause', 'paused'],
      ['resume', 'initializing'],
      ['wait', 'running'],
      ['resume', 'running'],
      ['scale_to_zero', 'scaledToZero'],
      ['list', ['kokoro-staging']],
    ]);
    expect(steps[1]).toMatchObject({
      healthRoute: '/health',
      url: `${fake!.apiBase.replace('/v2', '')}/serving`,
    });
    expect(steps[4]).toMatchObject({
      image: { custom: { url: IMAGE_V2 } },
      env: { DEFAULT_VOICE: 'bf_emma' },
    });
    expect(fake!.imagesPut).toEqual([IMAGE_V1, IMAGE_V2]);
    expect(fake!.secrets()).toEqual({ HF_TOKEN: 'never-echoed' });
    expect(JSON.stringify(steps)).not.toContain('never-echoed');
    // wait() asked the serving URL's health route itself before it returned.
    expect(fake!.requests.filter((r) => r.path === '/serving/health').length).toBeGreaterThan(0);
  });

  it.each([
    ['updateFailed', 'failed to update'],
    ['failed', 'failed to deploy'],
  ] as const)('raises from wait() when an update ends %s', async (outcome, message) => {
    const steps = await drive('fails-to-settle', { outcome: () => outcome }, IMAGE_V2);
    expect(steps).toEqual([
      expect.objectContaining({ step: 'update', state: 'updating' }),
      expect.objectContaining({
        step: 'wait',
        error: 'InferenceEndpointError',
        message: expect.stringContaining(message),
      }),
    ]);
  });

  it("reads the fake's errors: taken name, unknown endpoint, bad token, resume of a running one, unhealthy route", async () => {
    const steps = await drive('errors', { healthStatus: 503 }, IMAGE_V1);
    expect(steps.map(({ step, error, status }) => [step, error, status])).toEqual([
      ['create', 'HfHubHTTPError', 409],
      ['get', 'HfHubHTTPError', 404],
      ['get', 'HfHubHTTPError', 401],
      ['resume', 'BadRequestError', 400],
      ['wait', 'InferenceEndpointTimeoutError', null],
    ]);
    expect(steps.map((s) => s.message)).toEqual([
      expect.stringContaining('Endpoint name already exists'),
      expect.stringContaining('Endpoint not found'),
      expect.stringContaining('Invalid credentials'),
      expect.stringContaining('already running'),
      expect.stringContaining('Timeout'),
    ]);
  });
});
