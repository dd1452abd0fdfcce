import { z } from 'zod';
import { redact } from '../redact';
import { PUBLISH_TYPES, RELEASE_SCRIPT, type PublishType } from './publish';
import {
  compareVersions,
  describeStatus,
  StoreError,
  storeClient,
  type StoreOptions,
} from './store';

export interface ReleaseOptions extends StoreOptions {
  /** The zip to upload, built for this stack. */
  zip: string;
  /** The version stamped into that zip's manifest. */
  version: string;
  publishType: PublishType;
  deployPercentage?: number;
  /** How long the store may keep the upload IN_PROGRESS. */
  uploadWaitSeconds: number;
  log: (line: string) => void;
}

export class ReleaseError extends Error {}

const IN_REVIEW = /in review/i;

/**
 * Uploads the zip and publishes it as the stack declares. The item's status is read first: a
 * version the store would refuse after the upload, or an item in review, stops here with why.
 */
export async function releaseExtension(options: ReleaseOptions): Promise<void> {
  const { version, log } = options;
  const store = storeClient(options);
  const status = await store.status();
  log(`item ${options.extensionId}: ${describeStatus(status)}`);
  const { published, submitted } = status;
  if (submitted?.state === 'PENDING_REVIEW') {
    throw new ReleaseError(
      `item ${options.extensionId} is in review with version ${submitted.version}: the store takes no new package until that review ends (or is cancelled in the developer dashboard); deploy again then`,
    );
  }
  for (const [which, rev] of [
    ['submitted', submitted],
    ['published', published],
  ] as const) {
    if (rev?.version !== undefined && compareVersions(version, rev.version) <= 0) {
      throw new ReleaseError(
        `version ${version} is not higher than the ${which} version ${rev.version} of item ${options.extensionId}: the store refuses it; release a higher version`,
      );
    }
  }

  const access = await store.accessToken();
  const upload = await store.call('upload', () =>
    store.client.uploadExisting(options.zip, access, options.uploadWaitSeconds),
  );
  if (upload.uploadState === 'FAILED') {
    throw new ReleaseError(
      `the store processed the upload of ${version} and reports FAILED for item ${upload.itemId ?? options.extensionId}${upload.crxVersion ? ` (package version ${upload.crxVersion})` : ''}; the dashboard lists the package's problems`,
    );
  }
  if (upload.uploadState !== 'SUCCEEDED') {
    throw new ReleaseError(
      `the upload of ${version} is still ${upload.uploadState} after ${options.uploadWaitSeconds}s; deploy again once the store has processed it`,
    );
  }
  log(`uploaded ${version}: ${upload.uploadState}`);

  const { publishType } = options;
  if (publishType === 'UPLOAD_ONLY') {
    log('publish type UPLOAD_ONLY: the package waits in the dashboard');
    return;
  }
  try {
    const answer = await store.call('publish', () =>
      store.client.publish(publishType, access, options.deployPercentage),
    );
    log(
      `published ${version} with ${publishType}${options.deployPercentage === undefined ? '' : ` at ${options.deployPercentage}%`}: ${answer.state}`,
    );
  } catch (error) {
    if (error instanceof StoreError && IN_REVIEW.test(error.message)) {
      throw new ReleaseError(
        `${version} is uploaded, but the store refused to publish it because the item is in review: ${error.message}`,
      );
    }
    throw error;
  }
}

/** Raises the published revision's deploy percentage to the declared one; never lowers it. */
export async function raiseDeployPercentage(
  options: StoreOptions & { version: string; deployPercentage: number; log: (l: string) => void },
): Promise<void> {
  const store = storeClient(options);
  const { published } = await store.status();
  if (published?.version !== options.version) {
    options.log(
      `version ${options.version} is not published yet (published: ${published?.version ?? 'none'}); its publish carries ${options.deployPercentage}%`,
    );
    return;
  }
  const current = published.deployPercentage ?? 100;
  if (options.deployPercentage < current) {
    throw new ReleaseError(
      `deployPercentage ${options.deployPercentage} is lower than the ${current}% ${options.version} already reaches: the store only raises it`,
    );
  }
  if (options.deployPercentage === current) {
    options.log(`${options.version} already reaches ${current}%`);
    return;
  }
  const access = await store.accessToken();
  await store.call('deploy percentage change', () =>
    store.client.setDeployPercentage(options.deployPercentage, access),
  );
  options.log(`${options.version} now reaches ${options.deployPercentage}% (was ${current}%)`);
}

const nonEmpty = (name: string) =>
  z.string({ error: `${name} is not set` }).min(1, `${name} is empty`);

const ENV = z.object({
  CWS_CLIENT_ID: nonEmpty('CWS_CLIENT_ID'),
  CWS_CLIENT_SECRET: nonEmpty('CWS_CLIENT_SECRET'),
  CWS_REFRESH_TOKEN: nonEmpty('CWS_REFRESH_TOKEN'),
  CWS_EXTENSION_ID: nonEmpty('CWS_EXTENSION_ID'),
  CWS_PUBLISHER_ID: nonEmpty('CWS_PUBLISHER_ID'),
  EXTENSION_VERSION: nonEmpty('EXTENSION_VERSION'),
  EXTENSION_ZIP: z.string().default(''),
  CWS_PUBLISH_TYPE: z.enum(PUBLISH_TYPES).default('DEFAULT_PUBLISH'),
  CWS_DEPLOY_PERCENTAGE: z.coerce.number().int().min(1).max(100).optional(),
  CWS_UPLOAD_WAIT_SECONDS: z.coerce.number().int().min(0).default(300),
  CWS_RETRY_DELAY_MS: z.coerce.number().int().min(0).optional(),
});

/** The program's settings from its environment; a bad one is named, and no value is echoed. */
export function optionsFromEnv(env: NodeJS.ProcessEnv, log: (line: string) => void) {
  const parsed = ENV.safeParse(env);
  if (!parsed.success) {
    throw new ReleaseError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const e = parsed.data;
  return {
    extensionId: e.CWS_EXTENSION_ID,
    publisherId: e.CWS_PUBLISHER_ID,
    clientId: e.CWS_CLIENT_ID,
    clientSecret: e.CWS_CLIENT_SECRET,
    refreshToken: e.CWS_REFRESH_TOKEN,
    retryDelayMs: e.CWS_RETRY_DELAY_MS,
    zip: e.EXTENSION_ZIP,
    version: e.EXTENSION_VERSION,
    publishType: e.CWS_PUBLISH_TYPE,
    deployPercentage: e.CWS_DEPLOY_PERCENTAGE,
    uploadWaitSeconds: e.CWS_UPLOAD_WAIT_SECONDS,
    log,
  };
}

if (require.main === module) {
  const secrets = [
    process.env.CWS_CLIENT_ID,
    process.env.CWS_CLIENT_SECRET,
    process.env.CWS_REFRESH_TOKEN,
  ];
  const log = (line: string) => console.log(redact(line, secrets));
  const action = process.argv[2];
  Promise.resolve()
    .then(() => {
      const options = optionsFromEnv(process.env, log);
      if (action === 'release') return releaseExtension(options);
      if (action === 'deploy-percentage' && options.deployPercentage !== undefined) {
        return raiseDeployPercentage({ ...options, deployPercentage: options.deployPercentage });
      }
      throw new ReleaseError(
        `usage: ${RELEASE_SCRIPT} release | deploy-percentage (with CWS_DEPLOY_PERCENTAGE)`,
      );
    })
    .catch((error: unknown) => {
      console.error(redact(error instanceof Error ? error.message : String(error), secrets));
      process.exitCode = 1;
    });
}
