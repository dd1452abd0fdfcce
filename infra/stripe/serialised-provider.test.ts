import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../paths';
import { startFakeStripe, type FakeStripe } from './testing/fake-stripe';

const API_KEY = 'sk_test_serialised_provider';
let serialised: Map<string, string>;
let api: FakeStripe;

beforeAll(async () => {
  api = await startFakeStripe({ apiKey: API_KEY });
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'testing/serialise-providers.ts')],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  serialised = new Map(Object.entries(JSON.parse(run.stdout) as Record<string, string>));
}, 60_000);
afterAll(() => api.close());

/** Loads the provider text in a fresh Node process, as Pulumi's dynamic provider host does. */
async function createInFreshProcess(name: string, inputs: unknown) {
  const dir = mkdtempSync(path.join(tmpdir(), 'stripe-provider-'));
  const file = path.join(dir, 'provider.js');
  writeFileSync(file, serialised.get(name) ?? '');
  const script = `require(${JSON.stringify(file)}).handler().create(${JSON.stringify(inputs)})
    .then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e.message); process.exit(1); });`;
  return promisify(execFile)(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') },
  });
}

describe('the Stripe providers as Pulumi serialises them', () => {
  it('create a webhook endpoint from a fresh process with the official client', async () => {
    const run = await createInFreshProcess('webhook-endpoint', {
      apiKey: API_KEY,
      connection: api.connection,
      url: 'https://x.supabase.co/functions/v1/stripe-webhook',
      events: ['customer.subscription.created'],
      description: 'staging',
    });
    expect(JSON.parse(run.stdout).outs.secret).toMatch(/^whsec_/);
    expect(api.endpoints.size).toBe(1);
  }, 60_000);

  it('create a plan price from a fresh process', async () => {
    const run = await createInFreshProcess('plan', {
      apiKey: API_KEY,
      connection: api.connection,
      plan: 'pro',
      name: 'Pro',
      amount: 900,
      currency: 'usd',
      interval: 'month',
    });
    const { outs } = JSON.parse(run.stdout) as { outs: { priceId: string } };
    expect(api.prices.get(outs.priceId)?.unit_amount).toBe(900);
  }, 60_000);
});
