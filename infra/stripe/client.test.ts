import { describe, expect, it } from 'vitest';
import { targetChanged, type StripeTarget } from './client';

const target: StripeTarget = {
  apiKey: 'sk_test_do_not_print_0123456789',
  connection: { host: '127.0.0.1', port: 12111, protocol: 'http' },
};

describe('a Stripe resource reaches Stripe', () => {
  it.each([
    ['with a rotated key', { apiKey: 'sk_test_rotated_0123456789' }, true],
    ['at another address', { connection: { host: '127.0.0.1', port: 12112 } }, true],
    ['at api.stripe.com instead of a fake', { connection: undefined }, true],
    ['the same way with an equal connection', { connection: { ...target.connection } }, false],
  ] as const)('%s: changed is %s', (_what, change, changed) => {
    expect(targetChanged(target, { ...target, ...change })).toBe(changed);
  });
});
