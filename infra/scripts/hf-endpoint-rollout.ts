import { backOff } from 'exponential-backoff';
import { z } from 'zod';
import {
  createEndpointsClient,
  HF_ENDPOINTS_API,
  type Endpoint,
  type EndpointImage,
  type EndpointsClient,
  type RetryPolicy,
} from './hf-endpoints-client';

export interface RolloutOptions {
  apiBase: string;
  token: string;
  namespace: string;
  name: string;
  // The new image, pinned by digest: repo@sha256:...
  image: string;
  env: Record<string, string>;
  secrets: Record<string, string>;
  healthRoute: string;
  port: number;
  timeoutMs: number;
  pollMs: number;
  retry: RetryPolicy;
  log: (line: string) => void;
}

const SETTLING = new Set(['pending', 'initializing', 'updating']);
const BROKEN = new Set(['updateFailed', 'failed']);

export class RolloutError extends Error {}

const describeImage = (image: EndpointImage) => image.custom?.url ?? JSON.stringify(image);

// The one failure polling waits out; any other error stops it at once.
class NotReady extends Error {}

// Polls until `done` says the endpoint is there, for at most the rollout's timeout.
function pollEndpoint(
  client: EndpointsClient,
  options: RolloutOptions,
  what: string,
  done: (endpoint: Endpoint) => Promise<boolean>,
): Promise<Endpoint> {
  let seen: string | undefined;
  const deadline = performance.now() + options.timeoutMs;
  return backOff(
    async () => {
      const endpoint = await client.getEndpoint(options.namespace, options.name);
      if (endpoint.status.state !== seen) {
        seen = endpoint.status.state;
        options.log(
          `state ${seen}${endpoint.status.message ? `: ${endpoint.status.message}` : ''}`,
        );
      }
      if (await done(endpoint)) return endpoint;
      throw new NotReady(endpoint.status.state);
    },
    {
      numOfAttempts: Infinity,
      startingDelay: options.pollMs,
      timeMultiple: 1,
      retry: (error: unknown) => error instanceof NotReady && performance.now() < deadline,
    },
  ).catch((error: unknown) => {
    if (!(error instanceof NotReady)) throw error;
    throw new RolloutError(
      `timed out after ${options.timeoutMs / 1000}s waiting for ${what} (last state: ${error.message})`,
    );
  });
}

// Rolls the endpoint onto a new image; on failure or timeout puts the previous image back and throws.
export async function rollOutEndpoint(options: RolloutOptions): Promise<void> {
  const { namespace, name, log } = options;
  const client = createEndpointsClient(options);
  let current = await client.getEndpoint(namespace, name);
  // Whether an update sent during another update is refused (409) or queued is not documented.
  if (SETTLING.has(current.status.state)) {
    log(`waiting for the ${current.status.state} endpoint to settle before updating`);
    current = await pollEndpoint(
      client,
      options,
      'the endpoint to settle',
      async (e) => !SETTLING.has(e.status.state),
    );
  }
  const previous = current.model.image;
  // A failed state read before the update has begun is the old one, not this update's.
  const wasBroken = BROKEN.has(current.status.state);
  log(`endpoint ${namespace}/${name} is ${current.status.state} on ${describeImage(previous)}`);

  const updated = await client.updateEndpoint(namespace, name, {
    model: {
      image: {
        custom: { url: options.image, healthRoute: options.healthRoute, port: options.port },
      },
      env: options.env,
      secrets: options.secrets,
    },
  });
  // The API's own spelling of the new image, in case it normalises what was sent.
  const expected = updated.model.image.custom?.url ?? options.image;
  // A "running" read before the update has begun describes the old replicas: wait to see it start.
  let started = SETTLING.has(updated.status.state) || describeImage(previous) === expected;
  log(
    `updated to ${expected} with ${Object.keys(options.env).length} env vars and ${Object.keys(options.secrets).length} secrets; waiting for running`,
  );

  try {
    await pollEndpoint(
      client,
      options,
      `running on ${expected} with ${options.healthRoute} answering 200`,
      async (e) => {
        started ||= SETTLING.has(e.status.state);
        if (BROKEN.has(e.status.state) && (started || !wasBroken)) {
          throw new RolloutError(
            `endpoint went ${e.status.state}: ${e.status.message ?? 'no message'}`,
          );
        }
        return (
          started &&
          e.status.state === 'running' &&
          e.model.image.custom?.url === expected &&
          e.status.url !== undefined &&
          (await client.healthy(e.status.url, options.healthRoute))
        );
      },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`rollout failed (${reason}); restoring ${describeImage(previous)}`);
    try {
      // Secret values cannot be read back, so only the image and its env are restored.
      await client.updateEndpoint(namespace, name, {
        model: { image: previous, ...(current.model.env ? { env: current.model.env } : {}) },
      });
    } catch (restoreError) {
      throw new RolloutError(
        `rollout of ${options.image} failed: ${reason}; restoring the previous image ${describeImage(previous)} ALSO failed: ${restoreError instanceof Error ? restoreError.message : String(restoreError)}`,
      );
    }
    throw new RolloutError(
      `rollout of ${options.image} failed: ${reason}; restored the previous image ${describeImage(previous)}`,
    );
  }
  log(`endpoint ${namespace}/${name} is running ${expected} and healthy`);
}

const stringMap = z.record(z.string(), z.string());
const jsonStringMap = (name: string) =>
  z
    .string()
    .default('{}')
    .transform((raw, ctx) => {
      try {
        return stringMap.parse(JSON.parse(raw));
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be a JSON object of strings` });
        return z.NEVER;
      }
    });
const seconds = z.coerce.number().positive();

// Everything comes from the environment: secrets stay out of the process arguments.
export const RolloutEnv = z.object({
  HF_TOKEN: z.string().min(1, 'HF_TOKEN is required'),
  HF_ENDPOINT_NAMESPACE: z.string().min(1),
  HF_ENDPOINT_NAME: z.string().min(1),
  HF_ENDPOINT_IMAGE: z
    .string()
    .regex(
      /^[^\s@]+@sha256:[0-9a-f]{64}$/,
      'HF_ENDPOINT_IMAGE must be repo@sha256:<64 hex digits>',
    ),
  HF_ENDPOINT_ENV: jsonStringMap('HF_ENDPOINT_ENV'),
  HF_ENDPOINT_SECRETS: jsonStringMap('HF_ENDPOINT_SECRETS'),
  HF_ENDPOINT_HEALTH_ROUTE: z.string().startsWith('/').default('/health'),
  HF_ENDPOINT_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HF_ENDPOINT_TIMEOUT_SECONDS: seconds.default(1800),
  HF_ENDPOINT_POLL_SECONDS: seconds.default(15),
  HF_ENDPOINTS_API_URL: z.url().default(HF_ENDPOINTS_API),
});

export function optionsFromEnv(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): RolloutOptions {
  const parsed = RolloutEnv.safeParse(env);
  if (!parsed.success) {
    // Names and reasons only: the values may be secrets.
    throw new RolloutError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const e = parsed.data;
  return {
    apiBase: e.HF_ENDPOINTS_API_URL.replace(/\/$/, ''),
    token: e.HF_TOKEN,
    namespace: e.HF_ENDPOINT_NAMESPACE,
    name: e.HF_ENDPOINT_NAME,
    image: e.HF_ENDPOINT_IMAGE,
    env: e.HF_ENDPOINT_ENV,
    secrets: e.HF_ENDPOINT_SECRETS,
    healthRoute: e.HF_ENDPOINT_HEALTH_ROUTE,
    port: e.HF_ENDPOINT_PORT,
    timeoutMs: e.HF_ENDPOINT_TIMEOUT_SECONDS * 1000,
    pollMs: e.HF_ENDPOINT_POLL_SECONDS * 1000,
    retry: { retries: 5, startingDelayMs: 1000 },
    log,
  };
}

if (require.main === module) {
  const log = (line: string) => console.error(`hf-endpoint-rollout: ${line}`);
  Promise.resolve()
    .then(() => rollOutEndpoint(optionsFromEnv(process.env, log)))
    .catch((error: unknown) => {
      log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
