import assert from 'node:assert/strict';
import { requireEnv } from './env.ts';

Deno.test('names every missing or empty variable, and returns the present ones', () => {
  Deno.env.set('HF_ENDPOINT_URL', 'http://127.0.0.1:1/');
  Deno.env.set('HF_TOKEN', '  ');
  Deno.env.delete('STRIPE_WEBHOOK_SECRET');
  assert.throws(
    () => requireEnv('HF_ENDPOINT_URL', 'HF_TOKEN', 'STRIPE_WEBHOOK_SECRET'),
    {
      message:
        'missing environment variable(s): HF_TOKEN, STRIPE_WEBHOOK_SECRET; set them as function secrets',
    },
  );
  assert.deepEqual(requireEnv('HF_ENDPOINT_URL'), { HF_ENDPOINT_URL: 'http://127.0.0.1:1/' });
});
