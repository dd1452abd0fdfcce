import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HANDLER_PORT, HEALTH_ROUTE } from '../../../speech/index.ts';
import type { EndpointCompute, EndpointProvider, EndpointState } from '../hf-endpoints-client';
import { sendJson } from '../../testing/http';

/**
 * What the endpoint does once an update has passed its transitional states: run, fail, stay
 * updating forever, or run for `settleAfterPolls` polls and then crash (`runsThenFails`).
 */
export type UpdateOutcome = 'running' | 'updateFailed' | 'failed' | 'stuck' | 'runsThenFails';

export interface InjectedFailure {
  method: 'GET' | 'PUT' | 'POST';
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  // Answer with an error that quotes the request, token and body included, as careless APIs do.
  echo?: boolean;
  // Let this many matching requests through first.
  after?: number;
}

export interface FakeHfEndpointsOptions {
  token: string;
  namespace: string;
  name: string;
  image: string;
  env?: Record<string, string>;
  state?: EndpointState;
  // Polls each transitional state (and a `runsThenFails` run) lasts.
  settleAfterPolls?: number;
  // The states an update passes through, in order, before its outcome (default: updating).
  transitions?: EndpointState[];
  // Polls after a PUT that still report the old state before the update shows as `updating`.
  updateLagPolls?: number;
  outcome?: (image: string) => UpdateOutcome;
  // Whether a PUT during `updating` is refused or queued is UNCONFIRMED: the fake does either.
  putWhileUpdating?: 'conflict' | 'queue';
  // Someone else's update: it begins just before our first PUT lands, or once ours is running.
  interloper?: { image: string; at: 'put' | 'running' };
  // What `status.url` reports, when not the fake's own serving URL.
  servingUrl?: string;
  healthStatus?: number;
  // Where the endpoint runs and on what, before any update (default: aws us-east-1, one intel-icl x2).
  provider?: EndpointProvider;
  compute?: EndpointCompute;
  // false: the endpoint is created by `POST /v2/endpoint/{ns}` first (GET answers 404 until then).
  exists?: boolean;
  // Answered, in order, instead of the matching requests.
  failures?: InjectedFailure[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
  status: number;
}

const read = async (req: IncomingMessage) => {
  let raw = '';
  for await (const part of req) raw += part;
  return raw === '' ? undefined : (JSON.parse(raw) as unknown);
};

const TRANSITIONAL: EndpointState[] = ['pending', 'initializing', 'updating'];

// A Hugging Face Endpoints v2 API on 127.0.0.1, with the routes, bodies, states and errors the real API documents.
export async function startFakeHfEndpoints(options: FakeHfEndpointsOptions) {
  const requests: RecordedRequest[] = [];
  const failures = [...(options.failures ?? [])];
  const imagesPut: string[] = [];
  const settleAfter = options.settleAfterPolls ?? 2;
  const transitions = options.transitions ?? ['updating'];
  const model = {
    repository: 'hexgrad/Kokoro-82M',
    revision: 'main',
    task: 'custom',
    framework: 'custom',
    image: {
      custom: { url: options.image, healthRoute: HEALTH_ROUTE, port: HANDLER_PORT },
    } as Record<string, unknown>,
    env: options.env ?? {},
  };
  let secrets: Record<string, string> = {};
  let state: EndpointState = options.state ?? 'running';
  let message = 'Endpoint is ready';
  let pollsLeft = settleAfter;
  let phase = transitions.length;
  let lagLeft = 0;
  let next: UpdateOutcome = 'running';
  let queued: Record<string, unknown> | undefined;
  let exists = options.exists ?? true;
  let type = 'authenticated';
  let interloper = options.interloper;
  let provider: Record<string, unknown> = {
    vendor: 'aws',
    region: 'us-east-1',
    ...options.provider,
  };
  let compute: Record<string, unknown> = options.compute
    ? { ...options.compute }
    : {
        accelerator: 'cpu',
        instanceType: 'intel-icl',
        instanceSize: 'x2',
        scaling: { minReplica: 1, maxReplica: 1 },
      };

  const server = createServer();
  const base = await new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
  const servingUrl = options.servingUrl ?? `${base}/serving`;
  const urlOf = (image: Record<string, unknown>) =>
    (image.custom as { url?: string } | undefined)?.url ?? JSON.stringify(image);

  const endpointJson = () => ({
    name: options.name,
    // `protected` was renamed: huggingface_hub 2 refuses to create one.
    type,
    accountId: null,
    healthRoute: HEALTH_ROUTE,
    provider,
    compute,
    // Secret values are write-only: the API answers with their names alone.
    model: { ...model, secrets: Object.fromEntries(Object.keys(secrets).map((k) => [k, null])) },
    status: {
      state,
      message,
      url: servingUrl,
      createdAt: '2026-11-01T12:00:00.000Z',
      updatedAt: new Date().toISOString(),
      createdBy: { id: '1', name: options.namespace },
      readyReplica: state === 'running' ? 1 : 0,
      targetReplica: 1,
    },
  });

  function startUpdate(image: Record<string, unknown>) {
    model.image = image;
    next = options.outcome?.(urlOf(image)) ?? 'running';
    lagLeft = options.updateLagPolls ?? 0;
    if (lagLeft === 0) enter(0);
  }

  function enter(index: number) {
    phase = index;
    pollsLeft = settleAfter;
    state = transitions[index] ?? 'updating';
    message = state === 'updating' ? 'Endpoint waiting for the update' : `Endpoint is ${state}`;
  }

  function settle(outcome: UpdateOutcome) {
    state = outcome === 'runsThenFails' ? 'running' : (outcome as EndpointState);
    message = state === 'running' ? 'Endpoint is ready' : `Endpoint ${state}: container exited`;
    pollsLeft = settleAfter;
    if (state === 'running' && interloper?.at === 'running') {
      // Someone else's update lands on the next poll.
      queued = { custom: { url: interloper.image } };
      interloper = undefined;
    }
  }

  // Each GET is one poll: transitional states move on after `settleAfter` of them.
  function advance() {
    if (lagLeft > 0 && --lagLeft === 0) enter(0);
    if (lagLeft > 0) return;
    if (state === 'running' && next === 'runsThenFails' && pollsLeft-- <= 0) {
      state = 'failed';
      message = 'Endpoint failed: container exited after start';
      return;
    }
    if (state === 'running' && queued) {
      startUpdate(queued);
      queued = undefined;
      return;
    }
    if (!TRANSITIONAL.includes(state) || next === 'stuck') return;
    if (pollsLeft-- > 0) return;
    if (phase + 1 < transitions.length) return enter(phase + 1);
    if (queued) {
      const image = queued;
      queued = undefined;
      return startUpdate(image);
    }
    settle(next);
  }

  // The error a careless API returns: the request quoted back, Authorization header and all.
  const echoOf = (req: IncomingMessage, body: unknown) =>
    `Rejected ${req.method} ${req.url} (authorization: ${req.headers.authorization}) ` +
    `with body ${JSON.stringify(body)}; token was ${req.headers.authorization}`;

  function put(res: ServerResponse, body: unknown): number {
    const update = body as {
      compute?: Record<string, unknown>;
      model?: {
        image?: Record<string, unknown>;
        env?: Record<string, string>;
        secrets?: Record<string, string>;
      };
    };
    if (!update?.model?.image) {
      sendJson(res, 400, { error: 'model.image is required', statusCode: 400 });
      return 400;
    }
    if (interloper?.at === 'put') {
      startUpdate({ custom: { url: interloper.image } });
      interloper = undefined;
    }
    if (state === 'updating' && options.putWhileUpdating === 'conflict') {
      sendJson(res, 409, { error: 'Endpoint is being updated', statusCode: 409 });
      return 409;
    }
    imagesPut.push(urlOf(update.model.image));
    if (update.compute) compute = update.compute;
    if (update.model.env) model.env = update.model.env;
    if (update.model.secrets) secrets = update.model.secrets;
    if (state === 'updating' && options.putWhileUpdating === 'queue') queued = update.model.image;
    else startUpdate(update.model.image);
    sendJson(res, 200, endpointJson());
    return 200;
  }

  // List, create, pause, resume and scale to zero, as huggingface_hub calls them.
  function lifecycleRoute(
    method: string | undefined,
    path: string,
    body: unknown,
  ): { status: number; body: unknown } | undefined {
    const collection = `/v2/endpoint/${options.namespace}`;
    const endpoint = `${collection}/${options.name}`;
    if (method === 'GET' && path === collection) {
      return { status: 200, body: { items: exists ? [endpointJson()] : [] } };
    }
    if (method !== 'POST') return undefined;
    if (path === collection) {
      const create = body as {
        name?: string;
        type?: string;
        model?: typeof model & { secrets?: typeof secrets };
        compute?: Record<string, unknown>;
        provider?: Record<string, unknown>;
      };
      if (
        create?.name !== options.name ||
        !create.model?.image ||
        !create.compute ||
        !create.provider
      ) {
        return {
          status: 400,
          body: { error: 'name, model.image, compute and provider are required', statusCode: 400 },
        };
      }
      if (exists) {
        return { status: 409, body: { error: 'Endpoint name already exists', statusCode: 409 } };
      }
      exists = true;
      type = create.type ?? type;
      compute = create.compute;
      provider = create.provider;
      Object.assign(model, { ...create.model, env: create.model.env ?? {} });
      secrets = create.model.secrets ?? {};
      imagesPut.push(urlOf(create.model.image));
      startUpdate(create.model.image);
      state = 'pending';
      message = 'Endpoint is pending';
      return { status: 200, body: endpointJson() };
    }
    if (!exists || !path.startsWith(`${endpoint}/`)) return undefined;
    const action = path.slice(endpoint.length + 1);
    if (action === 'pause') [state, message] = ['paused', 'Endpoint is paused'];
    else if (action === 'scale-to-zero')
      [state, message] = ['scaledToZero', 'Endpoint is scaled to zero'];
    else if (action === 'resume') {
      if (state === 'running') {
        return { status: 400, body: { error: 'Endpoint is already running', statusCode: 400 } };
      }
      [state, message, next, pollsLeft] = [
        'initializing',
        'Endpoint is initializing',
        'running',
        settleAfter,
      ];
    } else return undefined;
    return { status: 200, body: endpointJson() };
  }

  async function route(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<number> {
    const path = req.url ?? '/';
    if (path.startsWith('/serving/')) {
      const status = state === 'running' ? (options.healthStatus ?? 200) : 503;
      sendJson(res, status, {});
      return status;
    }
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      sendJson(res, 401, { error: 'Invalid credentials in Authorization header', statusCode: 401 });
      return 401;
    }
    const seen = requests.filter((r) => r.method === req.method).length - 1;
    const failure = failures.findIndex((f) => f.method === req.method && seen >= (f.after ?? 0));
    if (failure >= 0) {
      const [{ status, body: answer, headers, echo }] = failures.splice(failure, 1) as [
        InjectedFailure,
      ];
      const error = echo ? echoOf(req, body) : 'Internal server error';
      sendJson(res, status, answer ?? { error, statusCode: status }, headers);
      return status;
    }
    const lifecycle = lifecycleRoute(req.method, path, body);
    if (lifecycle) {
      sendJson(res, lifecycle.status, lifecycle.body);
      return lifecycle.status;
    }
    if (!exists || path !== `/v2/endpoint/${options.namespace}/${options.name}`) {
      sendJson(res, 404, { error: 'Endpoint not found', statusCode: 404 });
      return 404;
    }
    if (req.method === 'GET') {
      advance();
      sendJson(res, 200, endpointJson());
      return 200;
    }
    if (req.method === 'PUT') return put(res, body);
    sendJson(res, 405, { error: 'Method not allowed', statusCode: 405 });
    return 405;
  }

  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    const body = await read(req);
    const entry: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      body,
      status: 0,
    };
    requests.push(entry);
    entry.status = await route(req, res, body);
  });

  return {
    // The API base the rollout takes, like https://api.endpoints.huggingface.cloud/v2.
    apiBase: `${base}/v2`,
    requests,
    imagesPut,
    currentImage: () => urlOf(model.image),
    state: () => state,
    env: () => model.env,
    secrets: () => secrets,
    compute: () => compute,
    provider: () => provider,
    exists: () => exists,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeHfEndpoints = Awaited<ReturnType<typeof startFakeHfEndpoints>>;
