// `npm run plan`: runs the plan CLI from one bundle built by esbuild, rebuilt whenever one of the
// sources it was built from changes. Plain JavaScript, so that no TypeScript loader starts first.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const infraDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// Under infra/node_modules, so the bundle resolves the packages the sources resolve.
const cacheDir = path.join(infraDir, 'node_modules', '.cache', 'plan');
const manifestFile = path.join(cacheDir, 'manifest.json');

// This launcher: the checkout a manifest belongs to, and an input of every bundle it builds.
const launcher = fileURLToPath(import.meta.url);

const digest = (data) => createHash('sha256').update(data).digest('hex');
const hashOf = (file) => (existsSync(file) ? digest(readFileSync(file)) : 'missing');

/** The bundle's folder if every source it was built from is unchanged, else undefined. */
function freshBundle() {
  if (!existsSync(manifestFile)) return undefined;
  const { dir, inputs, builtBy } = JSON.parse(readFileSync(manifestFile, 'utf8'));
  // A node_modules copied from another checkout brings that checkout's bundle: not this one's.
  if (builtBy !== launcher) return undefined;
  const unchanged = Object.entries(inputs).every(([file, hash]) => hashOf(file) === hash);
  return unchanged && existsSync(path.join(cacheDir, dir)) ? path.join(cacheDir, dir) : undefined;
}

/** Bundles the CLI and the per-stack child; each build lands in its own folder, renamed into place. */
async function build() {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: {
      cli: path.join(infraDir, 'plan/cli.ts'),
      child: path.join(infraDir, 'plan/child.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.cjs' },
    // Every module in a bundle shares one `module`: no program module may think it is the main one.
    define: { 'require.main': 'undefined' },
    outdir: cacheDir,
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  const cwd = process.cwd();
  // This launcher too: a change to how it bundles is a change to the bundle.
  const inputs = Object.fromEntries(
    [...Object.keys(result.metafile.inputs).map((input) => path.resolve(cwd, input)), launcher].map(
      (file) => [file, hashOf(file)],
    ),
  );
  const dir = digest(JSON.stringify(result.outputFiles.map((f) => f.hash)));
  const tmp = path.join(cacheDir, `${dir}.${process.pid}.tmp`);
  mkdirSync(tmp, { recursive: true });
  for (const file of result.outputFiles)
    writeFileSync(path.join(tmp, path.basename(file.path)), file.contents);
  // Another plan may have built the same bundle meanwhile: its folder is as good as this one.
  try {
    renameSync(tmp, path.join(cacheDir, dir));
  } catch {
    rmSync(tmp, { recursive: true, force: true });
  }
  writeFileSync(
    `${manifestFile}.${process.pid}`,
    JSON.stringify({ dir, inputs, builtBy: launcher }),
  );
  renameSync(`${manifestFile}.${process.pid}`, manifestFile);
  return path.join(cacheDir, dir);
}

// V8's compiled code for every module, kept between runs and checked against each file's content;
// the children of a multi-stack plan inherit the folder.
process.env.V8_COMPILE_CACHE_CACHE_DIR ??= path.join(cacheDir, 'v8');
require('v8-compile-cache');

const bundle = freshBundle() ?? (await build());
require(path.join(bundle, 'cli.cjs')).run(process.argv.slice(2));
