import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from './redact';

describe('redact', () => {
  it('replaces every occurrence of every secret, not only the first', () => {
    expect(redact('token t0k, again t0k; key k3y and k3y', ['t0k', 'k3y'])).toBe(
      `token ${REDACTED}, again ${REDACTED}; key ${REDACTED} and ${REDACTED}`,
    );
  });

  it('treats regular-expression metacharacters in a value literally', () => {
    const value = 'a.b*c+d?e^f$g{1}(h)|i[j]\\k$&$1';
    const text = `first ${value} then ${value} and a1b-c-d`;
    expect(redact(text, [value])).toBe(`first ${REDACTED} then ${REDACTED} and a1b-c-d`);
    expect(redact('aXb', ['a.b'])).toBe('aXb');
  });

  it('also catches a value echoed inside JSON or URL-encoded', () => {
    const value = 'p"w\\d/ &=?';
    const echoed = `body ${JSON.stringify({ v: value })} query ?v=${encodeURIComponent(value)}`;
    const result = redact(echoed, [value]);
    expect(result).toBe(`body {"v":"${REDACTED}"} query ?v=${REDACTED}`);
  });

  it('replaces a secret that contains another as a whole', () => {
    expect(redact('abcdef abc', ['abc', 'abcdef'])).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('leaves text alone when there is nothing to hide, and ignores empty values', () => {
    expect(redact('nothing here', [])).toBe('nothing here');
    expect(redact('nothing here', ['', undefined])).toBe('nothing here');
  });
});
