import { z } from 'zod';
import { HANDLER_PORT, HEALTH_ROUTE } from '../../speech/index.ts';
import { redact } from '../redact';
import {
  createEndpointsClient,
  HF_ENDPOINTS_API,
  HfApiError,
  systemClock,
  type Clock,
  type Endpoint,
  type EndpointCompute,
  type EndpointImage,
  type EndpointsClient,
  type EndpointUpdate,
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
  // The declared hardware and scaling; without it the rollout leaves compute as it is and cannot create.
  compute?: DeclaredCompute;
  // The model repository a created endpoint mounts at /repository.
  repository?: string;
  healthRoute: string;
  port: number;
  // The longest any one wait (for an update to settle, for ours, for the restore) may take.
  timeoutMs: number;
  pollMs: number;
  // Polls in a row the image must stay running and healthy after the first: a crash loop shows.
  settlePolls: number;
  // How often a long wait says what it waits for.
  heartbeatMs: number;
  retry: RetryPolicy;
  clock?: Clock;
  log: (line: string) => void;
}

const SETTLING = new Set(['pending', 'initializing', 'updating']);
const BROKEN = new Set(['updateFailed', 'failed']);

export class RolloutError extends Error {}

/** An endpoint's compute as a stack declares it, flat; `scaleToZeroTimeout` in minutes. */
export const DeclaredCompute = z
  .object({
    vendor: z.string().min(1),
    region: z.string().min(1),
    accelerator: z.enum(['cpu', 'gpu', 'neuron']),
    instanceType: z.string().min(1),
    instanceSize: z.string().min(1),
    minReplica: z.number().int().min(0),
    maxReplica: z.number().int().min(1),
    scaleToZeroTimeout: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((c) => c.minReplica <= c.maxReplica, 'minReplica must not exceed maxReplica')
  .refine(
    (c) => c.minReplica > 0 || c.scaleToZeroTimeout !== undefined,
    'an endpoint that scales to zero (minReplica 0) needs scaleToZeroTimeout',
  );
export type DeclaredCompute = z.infer<typeof DeclaredCompute>;

/** The API's nested compute for a declared one. */
export const apiCompute = (c: DeclaredCompute): EndpointCompute => ({
  accelerator: c.accelerator,
  instanceType: c.instanceType,
  instanceSize: c.instanceSize,
  scaling: {
    minReplica: c.minReplica,
    maxReplica: c.maxReplica,
    ...(c.minReplica === 0 ? { scaleToZeroTimeout: c.scaleToZeroTimeout } : {}),
  },
});

const describeImage = (image: EndpointImage) => image.custom?.url ?? JSON.stringify(image);
const stateOf = (e: Endpoint) => `${e.status.state} on ${describeImage(e.model.image)}`;
const inSeconds = (ms: number) => `${Math.round(ms / 1000)}s`;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

interface Rollout {
  options: RolloutOptions;
  client: EndpointsClient;
  clock: Clock;
  log: (line: string) => void;
}

// Polls until `done` says the endpoint is there, for at most the timeout, with a heartbeat.
async function pollEndpoint(
  { options, client, clock, log }: Rollout,
  what: string,
  done: (endpoint: Endpoint) => Promise<boolean>,
): Promise<Endpoint> {
  const start = clock.now();
  const deadline = start + options.timeoutMs;
  let lastBeat = start;
  let seen: string | undefined;
  for (;;) {
    const endpoint = await client.getEndpoint(options.namespace, options.name);
    if (stateOf(endpoint) !== seen) {
      seen = stateOf(endpoint);
      log(`state ${seen}${endpoint.status.message ? `: ${endpoint.status.message}` : ''}`);
    }
    if (await done(endpoint)) return endpoint;
    const now = clock.now();
    if (now >= deadline) {
      throw new RolloutError(
        `timed out after ${options.timeoutMs / 1000}s waiting for ${what} (last state: ${seen})`,
      );
    }
    if (now - lastBeat >= options.heartbeatMs) {
      lastBeat = now;
      log(
        `still waiting for ${what}: ${seen}, ${inSeconds(now - start)} elapsed, deadline in ${inSeconds(deadline - now)}`,
      );
    }
    await clock.sleep(options.pollMs);
  }
}

const settled = async (e: Endpoint) => !SETTLING.has(e.status.state);

// PUTs the update; a 409 (another update runs) waits for that one to settle, then tries again.
async function put(rollout: Rollout, update: EndpointUpdate): Promise<Endpoint> {
  const { options, client, clock, log } = rollout;
  const deadline = clock.now() + options.timeoutMs;
  for (;;) {
    try {
      return await client.updateEndpoint(options.namespace, options.name, update);
    } catch (error) {
      if (!(error instanceof HfApiError && error.status === 409) || clock.now() >= deadline) {
        throw error;
      }
      log(`${error.message}; waiting for the other update to settle`);
      await clock.sleep(options.pollMs);
      await pollEndpoint(rollout, 'the other update to settle', settled);
    }
  }
}

/**
 * Waits until the endpoint runs `image`, healthy, for settlePolls more polls in a row. `before` is
 * the endpoint as read before the PUT and `answer` the PUT's answer: a state read before the
 * update has begun describes the old replicas, so neither its `running` nor its failure counts.
 */
function waitStable(rollout: Rollout, image: string, before: Endpoint, answer: Endpoint) {
  const { options, client } = rollout;
  const wasBroken = BROKEN.has(before.status.state);
  let started = SETTLING.has(answer.status.state) || describeImage(before.model.image) === image;
  let healthyPolls = 0;
  return pollEndpoint(
    rollout,
    `running on ${image} with ${options.healthRoute} answering 200 for ${options.settlePolls + 1} polls`,
    async (e) => {
      started ||= SETTLING.has(e.status.state);
      if (BROKEN.has(e.status.state) && (started || !wasBroken)) {
        throw new RolloutError(
          `endpoint went ${e.status.state}: ${e.status.message ?? 'no message'}`,
        );
      }
      const healthy =
        started &&
        e.status.state === 'running' &&
        describeImage(e.model.image) === image &&
        e.status.url !== undefined &&
        (await client.healthy(e.status.url, options.healthRoute));
      healthyPolls = healthy ? healthyPolls + 1 : 0;
      return healthyPolls > options.settlePolls;
    },
  );
}

const customImage = (options: RolloutOptions): EndpointImage => ({
  custom: { url: options.image, healthRoute: options.healthRoute, port: options.port },
});

const notFound = (error: unknown) => error instanceof HfApiError && error.status === 404;

/**
 * Creates the endpoint whole; undefined when the name exists already (409: created since our
 * read, or hidden from it), which the caller adopts by rolling the existing endpoint out.
 */
async function create(rollout: Rollout): Promise<Endpoint | undefined> {
  const { options, client, log } = rollout;
  if (!options.compute || !options.repository) {
    throw new RolloutError(
      `endpoint ${options.namespace}/${options.name} does not exist, and creating it needs HF_ENDPOINT_COMPUTE and HF_ENDPOINT_REPOSITORY`,
    );
  }
  log(
    `endpoint ${options.namespace}/${options.name} does not exist; creating it on ${options.image}`,
  );
  try {
    return await client.createEndpoint(options.namespace, {
      name: options.name,
      type: 'protected',
      provider: { vendor: options.compute.vendor, region: options.compute.region },
      compute: apiCompute(options.compute),
      model: {
        repository: options.repository,
        framework: 'custom',
        task: 'custom',
        image: customImage(options),
        env: options.env,
        secrets: options.secrets,
      },
    });
  } catch (error) {
    if (!(error instanceof HfApiError && error.status === 409)) throw error;
    log(`${error.message}; adopting the existing endpoint and rolling it out`);
    return undefined;
  }
}

// Returns the endpoint's URL once it runs the image, healthy.
async function rollOut(rollout: Rollout): Promise<string> {
  const { options, client, log } = rollout;
  const { namespace, name } = options;
  const found = await client.getEndpoint(namespace, name).catch((error: unknown) => {
    if (notFound(error)) return undefined;
    throw error;
  });
  const created = found ? undefined : await create(rollout);
  if (created) {
    // Nothing ran before: a failure has no previous image to restore.
    const running = await waitStable(rollout, options.image, created, created).catch(
      (error: unknown) => {
        throw new RolloutError(
          `endpoint ${namespace}/${name} was created but did not come up on ${options.image}: ${messageOf(error)}`,
        );
      },
    );
    log(`endpoint ${namespace}/${name} created, running ${options.image} and healthy`);
    return running.status.url as string;
  }
  let current = found ?? (await client.getEndpoint(namespace, name));
  if (SETTLING.has(current.status.state)) {
    log(`waiting for the ${current.status.state} endpoint to settle before updating`);
    current = await pollEndpoint(rollout, 'the endpoint to settle', settled);
  }
  const previous = describeImage(current.model.image);
  log(`endpoint ${namespace}/${name} is ${stateOf(current)}`);

  const answer = await put(rollout, {
    ...(options.compute ? { compute: apiCompute(options.compute) } : {}),
    model: {
      image: customImage(options),
      env: options.env,
      secrets: options.secrets,
    },
  });
  log(
    `updated to ${options.image} with ${Object.keys(options.env).length} env vars and ${Object.keys(options.secrets).length} secrets; waiting for running`,
  );

  let running: Endpoint;
  try {
    running = await waitStable(rollout, options.image, current, answer);
  } catch (error) {
    const reason = messageOf(error);
    log(`rollout failed (${reason}); restoring ${previous}`);
    try {
      const before = await client.getEndpoint(namespace, name);
      // Secret values cannot be read back, so only the compute, the image and its env are restored.
      const restored = await put(rollout, {
        ...(options.compute && current.compute ? { compute: current.compute } : {}),
        model: {
          image: current.model.image,
          ...(current.model.env ? { env: current.model.env } : {}),
        },
      });
      await waitStable(rollout, previous, before, restored);
    } catch (restoreError) {
      throw new RolloutError(
        `rollout of ${options.image} failed: ${reason}; restoring the previous image ${previous} ALSO failed: ${messageOf(restoreError)}. Neither image runs healthy: the endpoint needs a hand now`,
      );
    }
    throw new RolloutError(
      `rollout of ${options.image} failed: ${reason}; restored the previous image ${previous}, running and healthy`,
    );
  }
  log(`endpoint ${namespace}/${name} is running ${options.image} and healthy`);
  return running.status.url as string;
}

/**
 * Creates the endpoint if it is missing, else rolls it onto the image and compute; on failure or
 * timeout puts the previous image and compute back and throws. Resolves to the endpoint's URL.
 */
export async function rollOutEndpoint(options: RolloutOptions): Promise<string> {
  // One redaction for every line and error: the token and the secret values never leave.
  const hidden = [options.token, ...Object.values(options.secrets)];
  const log = (line: string) => options.log(redact(line, hidden));
  const clock = options.clock ?? systemClock;
  const client = createEndpointsClient({ ...options, secrets: hidden, clock, log });
  return rollOut({ options, client, clock, log }).catch((error: unknown) => {
    throw new RolloutError(redact(messageOf(error), hidden));
  });
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
  HF_ENDPOINT_COMPUTE: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const parsed = DeclaredCompute.safeParse(
        (() => {
          try {
            return JSON.parse(raw) as unknown;
          } catch {
            return undefined;
          }
        })(),
      );
      if (parsed.success) return parsed.data;
      ctx.addIssue({
        code: 'custom',
        message: `HF_ENDPOINT_COMPUTE must be a JSON compute (${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')})`,
      });
      return z.NEVER;
    }),
  HF_ENDPOINT_REPOSITORY: z.string().min(1).optional(),
  HF_ENDPOINT_HEALTH_ROUTE: z.string().startsWith('/').default(HEALTH_ROUTE),
  HF_ENDPOINT_PORT: z.coerce.number().int().min(1).max(65535).default(HANDLER_PORT),
  HF_ENDPOINT_TIMEOUT_SECONDS: seconds.default(1800),
  HF_ENDPOINT_POLL_SECONDS: seconds.default(15),
  HF_ENDPOINT_SETTLE_POLLS: z.coerce.number().int().min(0).default(3),
  HF_ENDPOINT_HEARTBEAT_SECONDS: seconds.default(60),
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
    ...(e.HF_ENDPOINT_COMPUTE ? { compute: e.HF_ENDPOINT_COMPUTE } : {}),
    ...(e.HF_ENDPOINT_REPOSITORY ? { repository: e.HF_ENDPOINT_REPOSITORY } : {}),
    healthRoute: e.HF_ENDPOINT_HEALTH_ROUTE,
    port: e.HF_ENDPOINT_PORT,
    timeoutMs: e.HF_ENDPOINT_TIMEOUT_SECONDS * 1000,
    pollMs: e.HF_ENDPOINT_POLL_SECONDS * 1000,
    settlePolls: e.HF_ENDPOINT_SETTLE_POLLS,
    heartbeatMs: e.HF_ENDPOINT_HEARTBEAT_SECONDS * 1000,
    retry: { retries: 5, startingDelayMs: 1000 },
    log,
  };
}

if (require.main === module) {
  // Timestamped, so a long wait in a CI log shows when each step happened.
  const log = (line: string) =>
    console.error(`${new Date().toISOString()} hf-endpoint-rollout: ${line}`);
  Promise.resolve()
    .then(() => rollOutEndpoint(optionsFromEnv(process.env, log)))
    // The URL alone on stdout: it becomes the rollout's output, which the functions' secret takes.
    .then((url) => console.log(url))
    .catch((error: unknown) => {
      log(`FAILED: ${messageOf(error)}`);
      process.exitCode = 1;
    });
}
