import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../paths';
import { nextVersion, rollbackExtension } from './rollback';
import { UsageError } from './stack-store';
import type { FakeStore } from './testing/fake-chrome-web-store';
import { PROD_ITEM as ITEM, runStoreProgram, useFakeStore } from './testing/store-harness';

const CREDENTIALS = {
  CWS_CLIENT_ID: 'rollback-client-id',
  CWS_CLIENT_SECRET: 'rollback-client-secret',
  CWS_REFRESH_TOKEN: 'rollback-refresh-token',
};
const start = useFakeStore({
  clientId: CREDENTIALS.CWS_CLIENT_ID,
  clientSecret: CREDENTIALS.CWS_CLIENT_SECRET,
  refreshToken: CREDENTIALS.CWS_REFRESH_TOKEN,
  published: { state: 'PUBLISHED', version: '1.4.3', deployPercentage: 100 },
});

const SCRIPT = 'infra/extension/rollback.ts';

/** What `npm run extension:rollback -- ARGS` runs. */
const rollback = (store: FakeStore, args: string[], env: Record<string, string> = CREDENTIALS) =>
  runStoreProgram(store, SCRIPT, args, env);

const rollbackBodies = (store: FakeStore) =>
  store.state.requests.filter((r) => r.method === 'rollback').map((r) => JSON.parse(r.body));

// Each case runs the script as a child process: seconds apiece on a loaded machine.
describe('npm run extension:rollback', { timeout: 90_000 }, () => {
  it('is the script the rollback work calls', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.scripts['extension:rollback']).toBe(`tsx ${SCRIPT}`);
  });

  it('republishes an earlier package under a higher version with the v2 :rollback method', async () => {
    const store = await start();
    const result = await rollback(store, [
      '--stack',
      'prod',
      '--to',
      '1.4.2',
      '--reason',
      'crash on load',
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(
      `rolled back item ${ITEM.extensionId}: the package of 1.4.2 is published as 1.4.3.1 (was 1.4.3)`,
    );
    expect(rollbackBodies(store)).toEqual([
      { targetCrxVersion: '1.4.2', newVersion: '1.4.3.1', rollbackReason: 'crash on load' },
    ]);
    expect(store.state.published?.version).toBe('1.4.3.1');
    expect(store.state.requests.map((r) => r.method)).not.toContain('upload');
  });

  it('with --validate-only asks the store to check it and changes nothing', async () => {
    const store = await start();
    const result = await rollback(store, [
      '--stack',
      'prod',
      '--to',
      '1.4.1',
      '--new-version',
      '1.4.5',
      '--validate-only',
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(
      'validated: the store would republish 1.4.1 as 1.4.5 over 1.4.3 (nothing changed)',
    );
    expect(rollbackBodies(store)).toEqual([
      {
        targetCrxVersion: '1.4.1',
        newVersion: '1.4.5',
        rollbackReason: 'rollback',
        validateOnly: true,
      },
    ]);
    expect(store.state.published?.version).toBe('1.4.3');
  });

  it("reports the store's refusal of a version never published, or a new version not higher", async () => {
    const store = await start();
    const never = await rollback(store, ['--stack', 'prod', '--to', '1.3.0']);
    expect(never.code).toBe(1);
    expect(never.output).toContain(
      'rollback for item abcdefghijklmnopabcdefghijklmnop failed with HTTP 400: Version 1.3.0 was never published.',
    );
    const lower = await rollback(store, [
      '--stack',
      'prod',
      '--to',
      '1.4.2',
      '--new-version',
      '1.4.3',
    ]);
    expect(lower.code).toBe(1);
    expect(lower.output).toContain('The new version must be higher than 1.4.3.');
    expect(store.state.published?.version).toBe('1.4.3');
    for (const secret of Object.values(CREDENTIALS))
      expect(never.output + lower.output).not.toContain(secret);
  });

  it('reads the credentials from the stack secrets when the environment has none', async () => {
    const store = await start();
    const bin = mkdtempSync(path.join(tmpdir(), 'pulumi-bin-'));
    // Answers `pulumi config get read-aloud:KEY --stack prod` as the CLI would, decrypted.
    writeFileSync(
      path.join(bin, 'pulumi'),
      `#!/bin/sh
[ "$1 $2 $4 $5" = "config get --stack prod" ] || exit 9
case "$3" in
  read-aloud:chromeClientId) echo ${CREDENTIALS.CWS_CLIENT_ID} ;;
  read-aloud:chromeClientSecret) echo ${CREDENTIALS.CWS_CLIENT_SECRET} ;;
  read-aloud:chromeRefreshToken) echo ${CREDENTIALS.CWS_REFRESH_TOKEN} ;;
  *) exit 9 ;;
esac
`,
    );
    chmodSync(path.join(bin, 'pulumi'), 0o755);
    const result = await rollback(store, ['--stack', 'prod', '--to', '1.4.2'], {
      PATH: `${bin}:${process.env.PATH}`,
    });
    expect(result.code, result.output).toBe(0);
    expect(store.state.published?.version).toBe('1.4.3.1');
  });

  it('explains its usage when the stack or the version is missing or malformed', async () => {
    for (const args of [
      ['--to', '1.4.2'],
      ['--stack', 'prod'],
      ['--stack', 'prod', '--to', 'v1.4'],
    ]) {
      await expect(rollbackExtension(args, CREDENTIALS)).rejects.toThrow(UsageError);
    }
    const store = await start();
    const result = await rollback(store, ['--stack', 'prod']);
    expect(result.code).toBe(2);
    expect(result.output).toContain(
      'usage: npm run extension:rollback -- --stack STACK --to VERSION',
    );
    expect(store.state.requests).toEqual([]);
  });

  it('raises the last part of a four-part version, or appends one', () => {
    expect(nextVersion('1.4.3')).toBe('1.4.3.1');
    expect(nextVersion('1.4')).toBe('1.4.1');
    expect(nextVersion('1.4.3.9')).toBe('1.4.3.10');
  });
});
