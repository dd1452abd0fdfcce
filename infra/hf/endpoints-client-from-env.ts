import { createEndpointsClient, HF_ENDPOINTS_API, systemClock } from './hf-endpoints-client';

/** The Endpoints API client a CLI uses: HF_ENDPOINTS_API_URL overrides the API, logs go to stderr. */
export function endpointsClientFromEnv(
  env: Record<string, string | undefined>,
  options: { token: string; retries: number },
) {
  return createEndpointsClient({
    apiBase: env.HF_ENDPOINTS_API_URL || HF_ENDPOINTS_API,
    token: options.token,
    secrets: [],
    retry: { retries: options.retries, startingDelayMs: 1000 },
    clock: systemClock,
    log: (line) => console.error(line),
  });
}
