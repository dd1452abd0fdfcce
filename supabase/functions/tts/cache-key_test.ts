import assert from 'node:assert/strict';
import { cacheKey } from './cache-key.ts';

Deno.test('the cache key changes with text, voice and speed, and only with them', () => {
  const base = { text: 'hi', voice: 'af_heart', speed: 1 };
  const key = cacheKey(base);
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(cacheKey({ ...base }), key);
  for (const change of [{ text: 'hi!' }, { voice: 'am_adam' }, { speed: 1.25 }]) {
    assert.notEqual(cacheKey({ ...base, ...change }), key);
  }
});
