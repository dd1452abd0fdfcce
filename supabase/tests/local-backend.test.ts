import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLocalBackend } from '../../scripts/local-backend';
import { START_TIMEOUT_MS } from './database';

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('the local backend', () => {
  it(
    'stops everything it started',
    async () => {
      const backend = await startLocalBackend();
      const urls = [
        backend.url,
        backend.dbUrl,
        backend.speechEndpoint.url,
        ...backend.functionUrls.values(),
      ];
      const ports = urls.map((url) => Number(new URL(url).port));
      expect(ports).toHaveLength(6);
      expect(await Promise.all(ports.map(listening))).toEqual(ports.map(() => true));

      await backend.stop();
      expect(await Promise.all(ports.map(listening))).toEqual(ports.map(() => false));
    },
    START_TIMEOUT_MS,
  );
});
