import chromeWebstoreUpload, { CWSError, type ItemStatusResponse } from 'chrome-webstore-upload';
import { backOff } from 'exponential-backoff';
import { redact } from '../redact';

/** The API host the client library calls; rollback, which it lacks, goes to the same place. */
export const STORE_API = 'https://chromewebstore.googleapis.com';

export interface StoreItem {
  extensionId: string;
  publisherId: string;
}

/** The three OAuth secrets; they reach the programs through the environment, never argv. */
export interface StoreCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export interface StoreOptions extends StoreItem, StoreCredentials {
  /** First retry delay after a 429 or 5xx; tests shorten it. */
  retryDelayMs?: number;
}

export class StoreError extends Error {}

type ItemState =
  | 'ITEM_STATE_UNSPECIFIED'
  | 'PENDING_REVIEW'
  | 'STAGED'
  | 'PUBLISHED'
  | 'PUBLISHED_TO_TESTERS'
  | 'REJECTED'
  | 'CANCELLED';

interface RevisionStatus {
  state: ItemState;
  distributionChannels?: { crxVersion?: string; deployPercentage?: number }[];
}

export interface Revision {
  state: ItemState;
  version?: string;
  deployPercentage?: number;
}

/** What the store says of an item: the published and the submitted revision, when there is one. */
export interface StoreStatus {
  published?: Revision;
  submitted?: Revision;
  takenDown: boolean;
  lastUploadState: ItemStatusResponse['lastAsyncUploadState'];
}

/** Chrome versions: one to four dot-separated integers, compared part by part (missing parts are 0). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

function revision(status: unknown): Revision | undefined {
  if (status === undefined || status === null) return undefined;
  const { state, distributionChannels = [] } = status as RevisionStatus;
  const channel = distributionChannels[0];
  return { state, version: channel?.crxVersion, deployPercentage: channel?.deployPercentage };
}

export function storeStatus(response: ItemStatusResponse): StoreStatus {
  return {
    published: revision(response.publishedItemRevisionStatus),
    submitted: revision(response.submittedItemRevisionStatus),
    takenDown: response.takenDown,
    lastUploadState: response.lastAsyncUploadState,
  };
}

const describeRevision = (r: Revision | undefined) =>
  r === undefined
    ? 'none'
    : `${r.version ?? '(no version)'} ${r.state}${r.deployPercentage === undefined ? '' : ` at ${r.deployPercentage}%`}`;

export const describeStatus = (s: StoreStatus) =>
  `published ${describeRevision(s.published)}; submitted ${describeRevision(s.submitted)}`;

/** The HTTP status inside Google's error envelope, which the client library keeps as the cause. */
const statusOf = (error: unknown) =>
  error instanceof CWSError ? (error.cause as { code?: number } | undefined)?.code : undefined;

// Rate limits and server errors pass; a proxy's HTML error page fails the library's JSON parse.
const retriable = (error: unknown) => {
  const status = statusOf(error);
  return (
    (status !== undefined && (status === 429 || status >= 500)) ||
    error instanceof SyntaxError ||
    (error instanceof TypeError && error.message === 'fetch failed')
  );
};

/** A client for one item: the real `chrome-webstore-upload`, its calls retried, its errors redacted. */
export function storeClient(options: StoreOptions) {
  const client = chromeWebstoreUpload({ ...options, clientSecret: options.clientSecret });
  const secrets = [options.clientId, options.clientSecret, options.refreshToken];
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await backOff(fn, {
        numOfAttempts: 4,
        startingDelay: options.retryDelayMs ?? 1_000,
        timeMultiple: 2,
        jitter: 'full',
        retry: (error: unknown) => retriable(error),
      });
    } catch (error) {
      const status = statusOf(error);
      const message = error instanceof Error ? error.message : String(error);
      // The cause is left off: it can carry the request, and so a secret value.
      throw new StoreError(
        redact(
          `Chrome Web Store ${what} for item ${options.extensionId} failed${status === undefined ? '' : ` with HTTP ${status}`}: ${message}`,
          secrets,
        ),
      );
    }
  };
  let token: Promise<string> | undefined;
  const accessToken = () => (token ??= call('token request', () => client.fetchToken()));
  return {
    client,
    call,
    accessToken,
    redact: (text: string) => redact(text, secrets),
    status: async () => {
      const access = await accessToken();
      return storeStatus(await call('status read', () => client.get(access)));
    },
  };
}

export type StoreClient = ReturnType<typeof storeClient>;

/** The item's published and submitted versions and states, as the drift checks read them. */
export const readStoreStatus = (options: StoreOptions) => storeClient(options).status();

export interface RollbackRequest {
  /** A version published before, whose package goes out again. */
  targetVersion: string;
  /** Higher than the one published now: the old package is republished under it. */
  newVersion: string;
  reason: string;
  /** The store checks the request and changes nothing. */
  validateOnly: boolean;
}

/** The API's `:rollback`, which the client library lacks, with the library's token and retries. */
export async function rollBack(store: StoreClient, item: StoreItem, request: RollbackRequest) {
  const access = await store.accessToken();
  const url = `${STORE_API}/v2/publishers/${item.publisherId}/items/${item.extensionId}:rollback`;
  await store.call('rollback', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${access}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        targetCrxVersion: request.targetVersion,
        newVersion: request.newVersion,
        rollbackReason: request.reason,
        ...(request.validateOnly ? { validateOnly: true } : {}),
      }),
    });
    if (response.ok) return;
    const body = (await response.json()) as { error?: { code?: number; message?: string } };
    const error = new CWSError(body.error?.message ?? `HTTP ${response.status}`);
    error.cause = body.error ?? { code: response.status };
    throw error;
  });
}
