import * as pulumi from '@pulumi/pulumi';
import { disconnect } from '@pulumi/pulumi/runtime/settings';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT, STACKS } from './config';
import program from './index';
import { computedOutputs, planConfig } from './plan/run-stack';
import { readStackFile } from './plan/stack-file';

// Values other resources produce, as the mocks hand them back: none is in any stack file.
const ENDPOINT_URL = 'https://produced-by-the-rollout.us-east-1.aws.endpoints.huggingface.cloud';
const WEBHOOK_SECRET = 'whsec_produced_by_stripe_on_create';
const PRICE_ID = 'price_produced_by_stripe';
const SECRETS = {
  hfToken: 'hf_management_token_sentinel',
  hfInferenceToken: 'hf_inference_token_sentinel',
  stripeApiKey: 'sk_test_stripe_key_sentinel',
};

// Secrets reach the mocks wrapped as `{<sig>: <secret sig>, value}`; the value is what the resource gets.
const unwrap = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(unwrap);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (pulumi.runtime.specialSigKey in record && 'value' in record) return unwrap(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrap(v)]));
};

function produced(type: string, name: string): Record<string, unknown> {
  if (name === 'endpoint-rollout') return { stdout: `${ENDPOINT_URL}\n` };
  if (name === 'webhook-endpoint') return { secret: WEBHOOK_SECRET, status: 'enabled' };
  if (name.startsWith('plan-') && type.startsWith('pulumi-nodejs')) {
    return { priceId: PRICE_ID, productId: 'prod_x', active: true };
  }
  if (type === 'docker-build:index:Image') return { digest: `sha256:${'1'.repeat(64)}` };
  return {};
}

const inputs = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  const config = planConfig('staging', { secrets: SECRETS });
  pulumi.runtime.setAllConfig(config.values, config.secretNames);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        inputs.set(args.name, unwrap(args.inputs) as Record<string, unknown>);
        return {
          id: `${args.name}-id`,
          state: {
            ...args.inputs,
            ...computedOutputs(args.type, args.inputs),
            ...produced(args.type, args.name),
          },
        };
      },
      call: (args) => args.inputs,
    },
    PROJECT,
    'staging',
    false,
  );
  await program();
  await disconnect();
}, 120_000);

const where = (value: string) =>
  [...inputs].filter(([, i]) => JSON.stringify(i).includes(value)).map(([name]) => name);

describe('values flow between vendors as outputs (under mocks)', () => {
  it("the tts function's endpoint URL and the webhook signing secret are the producing resources' outputs", () => {
    expect(inputs.get('function-secrets')?.values).toMatchObject({
      HF_ENDPOINT_URL: ENDPOINT_URL,
      HF_TOKEN: SECRETS.hfInferenceToken,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
  });

  it("the plans' price ids reach the database seed from Stripe's outputs", () => {
    const env = inputs.get('plan-prices')?.environment as { PLAN_PRICES: string };
    expect(JSON.parse(env.PLAN_PRICES)).toEqual([
      { priceId: PRICE_ID, plan: 'pro', monthlyCharacters: 1_000_000 },
    ]);
  });

  it('the webhook endpoint points at the stack function, with the list of events the function handles', () => {
    expect(inputs.get('webhook-endpoint')).toMatchObject({
      url: 'https://stagingrefaaaaaaaaaa.supabase.co/functions/v1/stripe-webhook',
      events: [
        'customer.subscription.created',
        'customer.subscription.updated',
        'customer.subscription.deleted',
      ],
    });
  });

  it('the rollout alone gets the management token; the function alone gets the inference token', () => {
    // The jobs that check the endpoint (smoke, drift, health) read it from their GitHub environments.
    const githubSecret = (name: string) => name.endsWith('secret-HF_TOKEN');
    expect(where(SECRETS.hfToken).filter((name) => !githubSecret(name))).toEqual([
      'endpoint-rollout',
    ]);
    expect(where(SECRETS.hfInferenceToken)).toEqual(['function-secrets']);
    // The health check reads Stripe with it from its GitHub environment.
    expect(
      where(SECRETS.stripeApiKey)
        .filter((name) => !name.endsWith('secret-STRIPE_API_KEY'))
        .sort(),
    ).toEqual(['plan-pro', 'webhook-endpoint']);
  });

  it('no stack setting holds a value another resource produces', () => {
    for (const stack of STACKS) {
      const values = Object.values(readStackFile(stack).values).join('\n');
      expect(values).not.toMatch(/endpoints\.huggingface\.cloud|whsec_|price_[A-Za-z0-9]/);
    }
  });
});
