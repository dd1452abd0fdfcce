import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RELEASE_SCRIPT } from './publish';
import type { FakeStore } from './testing/fake-chrome-web-store';
import { PROD_ITEM as ITEM, runStoreProgram, useFakeStore } from './testing/store-harness';
import { deterministicZip } from './zip';

// Regular-expression metacharacters and JSON escapes: an echo must not slip past redaction.
const CREDENTIALS = {
  clientId: 'client-id-1234.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-secret.*+?^${}()|[x]\\"v"',
  refreshToken: '1//refresh-token-do-not-print',
};
const start = useFakeStore({
  ...CREDENTIALS,
  published: { state: 'PUBLISHED', version: '1.4.2', deployPercentage: 100 },
});

async function zipOf(version: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'extension-'));
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, version }));
  writeFileSync(path.join(dir, 'background.js'), 'console.log(1)');
  const zip = `${dir}.zip`;
  await deterministicZip(dir, zip);
  return zip;
}

const run = (store: FakeStore, action: string, env: Record<string, string>) =>
  runStoreProgram(store, RELEASE_SCRIPT, [action], {
    CWS_CLIENT_ID: CREDENTIALS.clientId,
    CWS_CLIENT_SECRET: CREDENTIALS.clientSecret,
    CWS_REFRESH_TOKEN: CREDENTIALS.refreshToken,
    CWS_EXTENSION_ID: ITEM.extensionId,
    CWS_PUBLISHER_ID: ITEM.publisherId,
    ...env,
  });

async function release(store: FakeStore, version: string, env: Record<string, string> = {}) {
  const result = await run(store, 'release', {
    EXTENSION_ZIP: await zipOf(version),
    EXTENSION_VERSION: version,
    ...env,
  });
  for (const secret of [...Object.values(CREDENTIALS), store.accessToken]) {
    expect(result.output).not.toContain(secret);
  }
  return result;
}

const methods = (store: FakeStore) => store.state.requests.map((r) => r.method);

// Each case runs the program as a child process: seconds apiece on a loaded machine.
describe('the extension release program against the store', { timeout: 90_000 }, () => {
  it('uploads and stages the release at the declared percentage', async () => {
    const store = await start();
    const result = await release(store, '1.4.3', {
      CWS_PUBLISH_TYPE: 'STAGED_PUBLISH',
      CWS_DEPLOY_PERCENTAGE: '10',
    });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('published 1.4.3 with STAGED_PUBLISH at 10%: PENDING_REVIEW');
    expect(store.state.submitted).toEqual({
      state: 'PENDING_REVIEW',
      version: '1.4.3',
      deployPercentage: 10,
    });
    expect(methods(store)).toEqual(['token', 'fetchStatus', 'upload', 'publish']);
    const publish = store.state.requests.find((r) => r.method === 'publish');
    expect(JSON.parse(publish!.body)).toEqual({
      publishType: 'STAGED_PUBLISH',
      deployInfos: [{ deployPercentage: 10 }],
    });
  });

  it('publishes staging with DEFAULT_PUBLISH, or only uploads when so configured', async () => {
    const store = await start();
    expect((await release(store, '1.4.2.7', { CWS_PUBLISH_TYPE: 'DEFAULT_PUBLISH' })).code).toBe(0);
    expect(JSON.parse(store.state.requests.at(-1)!.body)).toEqual({
      publishType: 'DEFAULT_PUBLISH',
    });

    await store.close();
    const uploadOnly = await start();
    const result = await release(uploadOnly, '1.4.2.8', { CWS_PUBLISH_TYPE: 'UPLOAD_ONLY' });
    expect(result.code, result.output).toBe(0);
    expect(methods(uploadOnly)).toEqual(['token', 'fetchStatus', 'upload']);
    expect(uploadOnly.state.uploaded).toBe('1.4.2.8');
  });

  it.each([
    [
      'waits while the upload is IN_PROGRESS, then publishes once it SUCCEEDED',
      { uploadStates: ['IN_PROGRESS' as const, 'SUCCEEDED' as const] },
      { CWS_UPLOAD_WAIT_SECONDS: '10' },
      ['token', 'fetchStatus', 'upload', 'token', 'fetchStatus', 'publish'],
    ],
    [
      'retries 429 and 5xx answers, then goes on',
      {
        faults: [
          { method: 'token' as const, status: 503, times: 1 },
          { method: 'upload' as const, status: 429, times: 2 },
          { method: 'publish' as const, status: 500, times: 1 },
        ],
      },
      {},
      ['token', 'token', 'fetchStatus', 'upload', 'upload', 'upload', 'publish', 'publish'],
    ],
  ])('%s', async (_behaviour, options, env, calls) => {
    const store = await start(options);
    const result = await release(store, '1.4.3', env);
    expect(result.code, result.output).toBe(0);
    expect(methods(store)).toEqual(calls);
  });

  it.each([
    [
      'fails on an upload still IN_PROGRESS when the wait is over, and publishes nothing',
      { uploadStates: ['IN_PROGRESS' as const] },
      { CWS_UPLOAD_WAIT_SECONDS: '0' },
      'the upload of 1.4.3 is still IN_PROGRESS after 0s',
      ['token', 'fetchStatus', 'upload'],
    ],
    [
      'fails on a FAILED upload with what the store reported, and publishes nothing',
      { uploadStates: ['FAILED' as const] },
      {},
      `reports FAILED for item ${ITEM.extensionId} (package version 1.4.3)`,
      ['token', 'fetchStatus', 'upload'],
    ],
    [
      'stops at the token with a clear invalid_grant error and never echoes a credential',
      { refreshToken: 'another-token' },
      {},
      `Chrome Web Store token request for item ${ITEM.extensionId} failed: Invalid grant: The authentication keys are probably invalid or expired`,
      ['token'],
    ],
  ])('%s', async (_behaviour, options, env, message, calls) => {
    const store = await start(options);
    const result = await release(store, '1.4.3', env);
    expect(result.code).toBe(1);
    expect(result.output).toContain(message);
    expect(methods(store)).toEqual(calls);
  });

  it('refuses an item in review before uploading anything', async () => {
    const store = await start({ submitted: { state: 'PENDING_REVIEW', version: '1.4.3' } });
    const result = await release(store, '1.4.4');
    expect(result.code).toBe(1);
    expect(result.output).toContain(`item ${ITEM.extensionId} is in review with version 1.4.3`);
    expect(methods(store)).toEqual(['token', 'fetchStatus']);
  });

  it('says why when the store refuses the publish because a review began meanwhile', async () => {
    const store = await start({ reviewStartsDuringUpload: true });
    const result = await release(store, '1.4.3');
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      '1.4.3 is uploaded, but the store refused to publish it because the item is in review: Chrome Web Store publish',
    );
    expect(result.output).toContain(
      'failed with HTTP 400: You may not edit or publish an item that is in review.',
    );
  });

  it('gives up on a store that keeps failing, naming the call and the status', async () => {
    const store = await start({ faults: [{ method: 'fetchStatus', status: 503, times: 10 }] });
    const result = await release(store, '1.4.3');
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      `Chrome Web Store status read for item ${ITEM.extensionId} failed with HTTP 503: Backend Error`,
    );
    expect(methods(store).filter((m) => m === 'fetchStatus')).toHaveLength(4);
  });

  it.each([
    ['published', '1.4.2', {}],
    ['published', '1.4.1.9', {}],
    ['submitted', '1.4.3', { submitted: { state: 'STAGED' as const, version: '1.4.3' } }],
  ])(
    'refuses a version not higher than the %s one (%s) before uploading',
    async (which, version, extra) => {
      const store = await start(extra);
      const result = await release(store, version);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(
        new RegExp(`version ${version} is not higher than the ${which} version`),
      );
      expect(methods(store)).not.toContain('upload');
    },
  );

  it('names each missing setting, echoing no value', async () => {
    const store = await start();
    const result = await run(store, 'release', { EXTENSION_VERSION: '', CWS_PUBLISH_TYPE: 'SOON' });
    expect(result.code).toBe(1);
    expect(result.output).toContain('EXTENSION_VERSION: EXTENSION_VERSION is empty');
    expect(result.output).toContain('CWS_PUBLISH_TYPE');
    expect(store.state.requests).toEqual([]);
  });
});

it('redacts the credentials from an error that quotes the request', async () => {
  const store = await start({ faults: [{ method: 'token', status: 503, times: 10, echo: true }] });
  const result = await release(store, '1.4.3');
  expect(result.code).toBe(1);
  expect(result.output).toContain(
    'failed with HTTP 503: Backend Error for {"client_id":"[secret]"',
  );
});

describe('the deploy percentage program', { timeout: 90_000 }, () => {
  it('raises the published percentage, only upward, and waits for an unpublished version', async () => {
    const store = await start({
      published: { state: 'PUBLISHED', version: '1.4.3', deployPercentage: 10 },
    });
    const env = { EXTENSION_VERSION: '1.4.3', CWS_DEPLOY_PERCENTAGE: '50' };
    expect((await run(store, 'deploy-percentage', env)).code).toBe(0);
    expect(store.state.published?.deployPercentage).toBe(50);

    const lower = await run(store, 'deploy-percentage', { ...env, CWS_DEPLOY_PERCENTAGE: '20' });
    expect(lower.code).toBe(1);
    expect(lower.output).toContain(
      'deployPercentage 20 is lower than the 50% 1.4.3 already reaches',
    );

    const pending = await run(store, 'deploy-percentage', { ...env, EXTENSION_VERSION: '1.4.4' });
    expect(pending.code).toBe(0);
    expect(pending.output).toContain('version 1.4.4 is not published yet (published: 1.4.3)');
    expect(methods(store).filter((m) => m === 'setPublishedDeployPercentage')).toHaveLength(1);
  });
});
