import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { compareVersions, type Revision } from '../store';

/** A package stored in the zip, read through its central directory as the store would. */
export function zipEntry(zip: Buffer, name: string): Buffer | undefined {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) return undefined;
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 8 ? inflateRawSync(data) : data;
    }
    at += 46 + skip;
  }
  return undefined;
}

export interface InjectedFault {
  /** The API method, as the last part of the path: upload, fetchStatus, publish, token, rollback. */
  method: string;
  status: number;
  /** How many requests in a row get it. */
  times: number;
  /** Quote the request body in the error, as careless APIs do (a token request holds the secrets). */
  echo?: boolean;
}

export interface FakeStoreOptions {
  publisherId: string;
  extensionId: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  published?: Revision;
  submitted?: Revision;
  /** Versions published before, which a rollback may target. */
  history?: string[];
  /** The states an upload reports, in order: the upload's answer, then each status poll. */
  uploadStates?: ('SUCCEEDED' | 'IN_PROGRESS' | 'FAILED')[];
  /** Someone submits for review while our upload runs, so the publish meets an item in review. */
  reviewStartsDuringUpload?: boolean;
  faults?: InjectedFault[];
}

const apiError = (code: number, message: string, status?: string) => ({
  error: {
    code,
    message,
    ...(status ? { status } : {}),
    errors: [{ message, domain: 'chromewebstore.access', reason: 'badRequest' }],
  },
});

/** A Chrome Web Store API v2 and Google OAuth token endpoint on 127.0.0.1, with one item. */
export async function startFakeStore(options: FakeStoreOptions) {
  const item = `publishers/${options.publisherId}/items/${options.extensionId}`;
  const accessToken = `ya29.fake-access-${Math.random().toString(36).slice(2)}`;
  const state = {
    published: options.published,
    submitted: options.submitted,
    history: [...(options.history ?? [])],
    uploadStates: [...(options.uploadStates ?? ['SUCCEEDED'])],
    uploaded: undefined as string | undefined,
    lastUploadState: 'NOT_FOUND' as string,
    faults: (options.faults ?? []).map((f) => ({ ...f })),
    requests: [] as { method: string; body: string }[],
    rollbacks: [] as unknown[],
    uploads: [] as Buffer[],
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const nextUploadState = () =>
    (state.lastUploadState =
      state.uploadStates.length > 1 ? state.uploadStates.shift()! : state.uploadStates[0]!);
  const inReview = () => state.submitted?.state === 'PENDING_REVIEW';
  const status = () => ({
    name: item,
    itemId: options.extensionId,
    publicKey: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA',
    lastAsyncUploadState: state.lastUploadState,
    takenDown: false,
    warned: false,
    ...Object.fromEntries(
      (['published', 'submitted'] as const).flatMap((which) => {
        const rev = state[which];
        return rev
          ? [
              [
                `${which}ItemRevisionStatus`,
                {
                  state: rev.state,
                  distributionChannels: [
                    { crxVersion: rev.version, deployPercentage: rev.deployPercentage ?? 100 },
                  ],
                },
              ],
            ]
          : [];
      }),
    ),
  });

  async function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = url.pathname.split(':').pop()!.replace('/oauth2/v4/', '');
    state.requests.push({ method, body: raw.toString('utf8') });
    const fault = state.faults.find((f) => f.method === method && f.times > 0);
    if (fault) {
      fault.times -= 1;
      return send(
        res,
        fault.status,
        apiError(
          fault.status,
          fault.echo
            ? `Backend Error for ${raw.toString('utf8')}`
            : fault.status === 429
              ? 'Quota exceeded for quota metric.'
              : 'Backend Error',
          fault.status === 429 ? 'RESOURCE_EXHAUSTED' : 'UNAVAILABLE',
        ),
      );
    }
    if (req.method === 'POST' && url.pathname === '/oauth2/v4/token') {
      const body = JSON.parse(raw.toString('utf8')) as Record<string, string>;
      const valid =
        body.grant_type === 'refresh_token' &&
        body.client_id === options.clientId &&
        body.client_secret === options.clientSecret &&
        body.refresh_token === options.refreshToken;
      if (!valid)
        return send(res, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
      return send(res, 200, {
        access_token: accessToken,
        expires_in: 3599,
        scope: 'https://www.googleapis.com/auth/chromewebstore',
        token_type: 'Bearer',
      });
    }
    if (req.headers.authorization !== `Bearer ${accessToken}`) {
      return send(
        res,
        401,
        apiError(401, 'Request had invalid authentication credentials.', 'UNAUTHENTICATED'),
      );
    }
    const prefix = `/${item}:`;
    const path = url.pathname.replace(/^\/upload/, '');
    if (path !== `/v2${prefix}${method}`) return send(res, 404, apiError(404, 'Not Found'));

    if (method === 'fetchStatus' && req.method === 'GET') {
      if (state.lastUploadState === 'IN_PROGRESS') nextUploadState();
      return send(res, 200, status());
    }
    if (method === 'upload' && req.method === 'POST') {
      if (inReview()) {
        return send(
          res,
          400,
          apiError(400, 'You may not edit or publish an item that is in review.'),
        );
      }
      state.uploads.push(raw);
      const manifest = zipEntry(raw, 'manifest.json');
      if (!manifest) return send(res, 400, apiError(400, 'The package has no manifest.json.'));
      const version = (JSON.parse(manifest.toString('utf8')) as { version: string }).version;
      if (state.published?.version && compareVersions(version, state.published.version) <= 0) {
        return send(
          res,
          400,
          apiError(
            400,
            `The version of the package must be higher than ${state.published.version}.`,
          ),
        );
      }
      const uploadState = nextUploadState();
      if (uploadState !== 'FAILED') state.uploaded = version;
      if (options.reviewStartsDuringUpload) {
        state.submitted = { state: 'PENDING_REVIEW', version: state.published?.version };
      }
      return send(res, 200, {
        name: item,
        itemId: options.extensionId,
        ...(uploadState === 'IN_PROGRESS' ? {} : { crxVersion: version }),
        uploadState,
      });
    }
    const body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    if (method === 'publish') {
      if (inReview()) {
        return send(
          res,
          400,
          apiError(
            400,
            'Publish condition not met: You may not edit or publish an item that is in review.',
          ),
        );
      }
      if (state.uploaded === undefined) return send(res, 400, apiError(400, 'Nothing to publish.'));
      const infos = body.deployInfos as { deployPercentage: number }[] | undefined;
      state.submitted = {
        state: 'PENDING_REVIEW',
        version: state.uploaded,
        deployPercentage: infos?.[0]?.deployPercentage,
      };
      return send(res, 200, { name: item, itemId: options.extensionId, state: 'PENDING_REVIEW' });
    }
    if (method === 'setPublishedDeployPercentage') {
      const target = body.deployPercentage as number;
      if (!state.published || target <= (state.published.deployPercentage ?? 100)) {
        return send(
          res,
          400,
          apiError(400, 'The deploy percentage must be higher than the current one.'),
        );
      }
      state.published.deployPercentage = target;
      return send(res, 200, {});
    }
    if (method === 'rollback') {
      const { targetCrxVersion, newVersion, validateOnly } = body as Record<string, string>;
      if (!state.history.includes(targetCrxVersion!)) {
        return send(res, 400, apiError(400, `Version ${targetCrxVersion} was never published.`));
      }
      if (state.published?.version && compareVersions(newVersion!, state.published.version) <= 0) {
        return send(
          res,
          400,
          apiError(400, `The new version must be higher than ${state.published.version}.`),
        );
      }
      state.rollbacks.push(body);
      if (!validateOnly) {
        state.history.push(state.published?.version ?? '');
        state.published = { state: 'PUBLISHED', version: newVersion, deployPercentage: 100 };
      }
      return send(res, 200, undefined);
    }
    return send(res, 404, apiError(404, 'Not Found'));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessToken,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeStore = Awaited<ReturnType<typeof startFakeStore>>;
