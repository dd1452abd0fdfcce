import { afterEach, expect } from 'vitest';
import { HANDLER_PORT, HEALTH_ROUTE } from '../../../speech/index.ts';
import { rollOutEndpoint, type RolloutOptions } from '../hf-endpoint-rollout';
import {
  startFakeHfEndpoints,
  type FakeHfEndpoints,
  type FakeHfEndpointsOptions,
} from './fake-hf-endpoints';

/** The image the fake endpoint runs at the start, and the one a rollout brings. */
export const PREVIOUS_IMAGE = `registry.example/read-aloud/hf-handler@sha256:${'a'.repeat(64)}`;
export const NEXT_IMAGE = `registry.example/read-aloud/hf-handler@sha256:${'b'.repeat(64)}`;

/** Each call starts a fresh fake read-aloud/kokoro-staging endpoint on PREVIOUS_IMAGE, closed after the test. */
export function useFakeHfEndpoints(token: string) {
  let fake: FakeHfEndpoints | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  return async (overrides: Partial<FakeHfEndpointsOptions> = {}) => {
    fake = await startFakeHfEndpoints({
      token,
      namespace: 'read-aloud',
      name: 'kokoro-staging',
      image: PREVIOUS_IMAGE,
      ...overrides,
    });
    return fake;
  };
}

/** Time that passes only when the rollout sleeps: waits of minutes take no real time. */
export function virtualClock() {
  const clock = {
    time: Date.parse('2026-12-01T12:00:00Z'),
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}

/** What a test file decides about its rollouts; the rest is the fake's endpoint and quick waits. */
type TestSettings = Pick<
  RolloutOptions,
  'env' | 'secrets' | 'compute' | 'repository' | 'settlePolls' | 'retry'
>;

/**
 * Rolls NEXT_IMAGE out to a fake on a virtual clock, keeping what it logs and how it ended;
 * nothing it prints may contain the token or any of `hidden`.
 */
export function rolloutAgainstFake(token: string, hidden: string[], settings: TestSettings) {
  return async (api: FakeHfEndpoints, overrides: Partial<RolloutOptions> = {}) => {
    const lines: string[] = [];
    const clock = virtualClock();
    const outcome = await rollOutEndpoint({
      apiBase: api.apiBase,
      token,
      namespace: 'read-aloud',
      name: 'kokoro-staging',
      image: NEXT_IMAGE,
      healthRoute: HEALTH_ROUTE,
      port: HANDLER_PORT,
      timeoutMs: 20_000,
      pollMs: 1_000,
      heartbeatMs: 60_000,
      ...settings,
      clock,
      log: (line) => lines.push(line),
      ...overrides,
    }).then(
      (url) => ({ url, error: undefined }),
      (error: unknown) => ({ url: undefined, error: error as Error }),
    );
    const printed = lines.join('\n') + (outcome.error?.message ?? '');
    for (const value of [token, ...hidden]) expect(printed).not.toContain(value);
    return { ...outcome, lines, clock };
  };
}
