import assert from 'node:assert/strict';
import { createCallerVerifier } from '../_shared/auth.ts';
import {
  clientAddress,
  createLogErrorHandler,
  MAX_REPORT_BYTES,
  sanitiseReport,
} from './handler.ts';
import { errorOf, post, signingKey, SUPABASE_URL, untouchedDb } from '../testing/helpers.ts';

const key = await signingKey();
const handler = createLogErrorHandler({
  verifyCaller: createCallerVerifier({ jwks: key.jwks, supabaseUrl: SUPABASE_URL }),
  sql: untouchedDb,
});

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';

Deno.test('tokens, credentials, e-mail addresses and query strings are removed', () => {
  const report = sanitiseReport(
    {
      message:
        `fetch failed for ana@example.com with ${jwt}\u0000 at https://api.example/x?token=abc#frag`,
      stack:
        'Error: Authorization: Bearer opaque-token-123\n    at play (chrome-extension://abc/content.js:1:2)',
      pageUrl: 'https://news.example/article?session=secret#comments',
      extensionVersion: '1.2.3',
      extra: 'dropped',
    },
    post('log-error', '', { 'user-agent': 'Chrome/130' }),
  );
  assert.deepEqual(report, {
    message: 'fetch failed for [email] with [token] at https://api.example/x',
    stack:
      'Error: Authorization: Bearer [redacted]\n    at play (chrome-extension://abc/content.js:1:2)',
    pageUrl: 'https://news.example/article',
    extensionVersion: '1.2.3',
    userAgent: 'Chrome/130',
  });
});

Deno.test('fields are cut to size and malformed ones dropped', () => {
  const report = sanitiseReport(
    {
      message: 'm'.repeat(5000),
      stack: 42,
      pageUrl: 'javascript:alert(1)',
      extensionVersion: '<script>',
    },
    post('log-error', ''),
  );
  assert.equal(report.message.length, 1000);
  assert.deepEqual([report.stack, report.pageUrl, report.extensionVersion, report.userAgent], [
    null,
    null,
    null,
    null,
  ]);
});

Deno.test('rejected before the database: no message, bad JSON, oversize, not POST', async () => {
  assert.deepEqual(await errorOf(await handler(post('log-error', '{"stack":"x"}'))), {
    status: 400,
    code: 'missing_message',
    message: '`message` must be a non-empty string',
  });
  assert.equal((await errorOf(await handler(post('log-error', '{')))).code, 'invalid_json');
  const oversize = JSON.stringify({ message: 'x'.repeat(MAX_REPORT_BYTES) });
  assert.equal((await errorOf(await handler(post('log-error', oversize)))).status, 413);
  const get = await handler(new Request(`${SUPABASE_URL}/functions/v1/log-error`));
  assert.equal(get.status, 405);
  await get.body?.cancel();
});

Deno.test('vendor secrets and Basic credentials are removed', () => {
  // Built at run time, so that no secret scanner takes the test for a leak.
  const secrets = {
    huggingFace: 'hf' + '_' + 'AbCdEfGhIjKlMnOpQrStUvWxYz01234567',
    stripeLive: 'sk_' + 'live_' + '51Hx'.repeat(6),
    stripeTest: 'sk_' + 'test_' + '51Hx'.repeat(6),
    webhook: 'whsec' + '_' + 'q1w2e3r4'.repeat(4),
    awsKeyId: 'AKIA' + 'IOSFODNN7EXAMPLE',
    basic: btoa('user' + ':' + 'hunter2'),
  };
  const report = sanitiseReport(
    {
      message:
        `load failed (${secrets.huggingFace}) with ${secrets.stripeLive}, ${secrets.stripeTest}`,
      stack:
        `signing with ${secrets.webhook} as ${secrets.awsKeyId}\nAuthorization: Basic ${secrets.basic}`,
    },
    post('log-error', ''),
  );
  assert.equal(report.message, 'load failed ([token]) with [token], [token]');
  assert.equal(report.stack, 'signing with [token] as [token]\nAuthorization: Basic [redacted]');
});

Deno.test('the client address is the one the platform gateway appended, not what the caller sent', () => {
  const from = (forwardedFor: string) =>
    clientAddress(post('log-error', '', { 'x-forwarded-for': forwardedFor }));
  assert.equal(from('203.0.113.7'), '203.0.113.7');
  assert.equal(from('10.9.8.7, 198.51.100.3, 203.0.113.7'), '203.0.113.7');
  assert.equal(from('1.2.3.4,203.0.113.7'), '203.0.113.7');
});
