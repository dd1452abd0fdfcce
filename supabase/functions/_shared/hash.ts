import { createHash } from 'node:crypto';

/** Hex SHA-256 of a text; synchronous, as WebCrypto's round trip to a worker thread costs more than the hash. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
