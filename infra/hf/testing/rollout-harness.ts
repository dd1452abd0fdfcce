import { afterEach } from 'vitest';
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
