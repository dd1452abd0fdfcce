import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../paths';

const manifestFile = path.join(repoRoot, 'infra/node_modules/.cache/plan/manifest.json');
const readManifest = () =>
  JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    dir: string;
    inputs: Record<string, string>;
    builtBy: string;
  };

function plan(entry: string[], ...args: string[]) {
  const run = spawnSync(process.execPath, [...entry, ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
const fromBundle = (...args: string[]) => plan([path.join(__dirname, 'launch.mjs')], ...args);
const fromSource = (...args: string[]) =>
  plan(['--import', 'tsx', path.join(__dirname, 'cli.ts')], ...args);

// Each case starts the plan several times: minutes on a loaded machine.
describe('npm run plan, from its bundle', { timeout: 240_000 }, () => {
  it('prints, writes and exits exactly as the CLI run from source', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'plan-launch-'));
    for (const args of [
      ['--compare'],
      ['--stack', 'prod'],
      ['--stack', 'staging', '--stack', 'qa'],
    ]) {
      const bundled = fromBundle(...args, '--json', path.join(dir, 'bundled.json'));
      const source = fromSource(...args, '--json', path.join(dir, 'source.json'));
      expect(bundled).toEqual(source);
      if (source.code === 0) {
        expect(readFileSync(path.join(dir, 'bundled.json'), 'utf8')).toBe(
          readFileSync(path.join(dir, 'source.json'), 'utf8'),
        );
      }
    }
  });

  it('builds the bundle again when a source it was built from has changed', () => {
    expect(fromBundle('--stack', 'staging').code).toBe(0);
    const built = readManifest();
    const source = path.join(__dirname, 'render.ts');
    expect(built.inputs[source]).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(
      manifestFile,
      JSON.stringify({ ...built, inputs: { ...built.inputs, [source]: 'a source since edited' } }),
    );
    expect(fromBundle('--stack', 'staging').code).toBe(0);
    expect(readManifest().inputs[source]).toBe(built.inputs[source]);
  });

  it('builds its own bundle when the cache holds one built from another checkout', () => {
    expect(fromBundle('--stack', 'staging').code).toBe(0);
    const built = readManifest();
    // Another checkout with the same sources, whose node_modules this one was copied from.
    const other = mkdtempSync(path.join(tmpdir(), 'plan-other-checkout-'));
    const elsewhere = (file: string) => path.join(other, path.relative(repoRoot, file));
    for (const file of Object.keys(built.inputs)) {
      mkdirSync(path.dirname(elsewhere(file)), { recursive: true });
      copyFileSync(file, elsewhere(file));
    }
    writeFileSync(
      manifestFile,
      JSON.stringify({
        dir: built.dir,
        builtBy: elsewhere(built.builtBy),
        inputs: Object.fromEntries(
          Object.entries(built.inputs).map(([file, hash]) => [elsewhere(file), hash]),
        ),
      }),
    );
    expect(fromBundle('--stack', 'staging').code).toBe(0);
    expect(readManifest()).toEqual(built);
  });
});
