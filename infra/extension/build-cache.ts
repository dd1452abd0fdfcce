import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the cache lives: beside the zips, in a folder git ignores. */
export const RELEASE_CACHE_DIR = 'extension/dist/.release-cache';
/** Entries kept, the most recently used first: a few versions of each stack. */
const KEPT_ENTRIES = 8;
/** The code that turns the sources into the zip, relative to the repository root. */
const BUILD_CODE_DIRS = ['extension/build'];
const BUILD_CODE = [
  'infra/extension/zip.ts',
  'infra/extension/build-release.ts',
  'infra/extension/build-cache.ts',
];
/** The tools, by the package.json that names their version. */
const TOOLS = ['esbuild/package.json', 'yazl/package.json'];

interface Entry {
  /** sha256 of each file the build read, the build code and the tools, by path from the root. */
  files: Record<string, string>;
  /** sha256 of the names in each source folder: a new file there may change what an import finds. */
  dirs: Record<string, string>;
  /** The zip's sha256. */
  sha256: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hashOf = (file: string) => (existsSync(file) ? sha256(readFileSync(file)) : 'missing');
const listingOf = (dir: string) =>
  existsSync(dir) ? sha256(readdirSync(dir).sort().join('\0')) : 'missing';

/** The package folder of a file under node_modules, if it is one. */
const packageOf = (file: string) => /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];

/**
 * A build cache of the release zip, like the plan's bundle cache: an entry is found by the build's
 * settings, and used only while every file the build read, the build code and the tools hash as they
 * did, and the zip still hashes as recorded; anything else builds again.
 */
export class ReleaseCache {
  private readonly key: string;

  constructor(
    private readonly repoRoot: string,
    settings: object,
    private readonly dir = path.join(repoRoot, RELEASE_CACHE_DIR),
  ) {
    // zlib's version: the same files may deflate to other bytes with another.
    this.key = sha256(JSON.stringify({ settings, zlib: process.versions.zlib }));
  }

  private get entryFile() {
    return path.join(this.dir, `${this.key}.json`);
  }

  private get zipFile() {
    return path.join(this.dir, `${this.key}.zip`);
  }

  /** The zip an earlier build left, and its sha256, if it still holds; else undefined. */
  find(): { bytes: Buffer; sha256: string } | undefined {
    let entry: Entry;
    let bytes: Buffer;
    try {
      entry = JSON.parse(readFileSync(this.entryFile, 'utf8')) as Entry;
      bytes = readFileSync(this.zipFile);
    } catch {
      return undefined; // no entry, or one cut short
    }
    const root = this.repoRoot;
    const holds =
      typeof entry.files === 'object' &&
      typeof entry.dirs === 'object' &&
      Object.keys(entry.files).length > 0 &&
      Object.entries(entry.files).every(([file, hash]) => hashOf(path.join(root, file)) === hash) &&
      Object.entries(entry.dirs).every(([dir, hash]) => listingOf(path.join(root, dir)) === hash) &&
      sha256(bytes) === entry.sha256;
    if (!holds) return undefined;
    const now = new Date();
    utimesSync(this.entryFile, now, now); // recently used: kept longest
    return { bytes, sha256: entry.sha256 };
  }

  /** Records a build: the files it read (absolute paths) and the zip it gave. */
  store(sources: string[], zip: Buffer): void {
    const relative = (file: string) => path.relative(this.repoRoot, file).split(path.sep).join('/');
    const tools = TOOLS.map((file) => createRequire(__filename).resolve(file));
    const buildCode = [
      ...BUILD_CODE_DIRS.flatMap((dir) =>
        readdirSync(path.join(this.repoRoot, dir))
          .filter((file) => !file.includes('.test.'))
          .map((file) => path.join(this.repoRoot, dir, file)),
      ),
      ...BUILD_CODE.map((file) => path.join(this.repoRoot, file)),
    ];
    const sourceDirs = new Set(
      sources.filter((file) => packageOf(file) === undefined).map((file) => path.dirname(file)),
    );
    // esbuild reads the tsconfig.json nearest each source, and each package's package.json.
    const configs = [...sourceDirs].flatMap((dir) => {
      const found: string[] = [];
      for (let at = dir; at.startsWith(this.repoRoot); at = path.dirname(at)) {
        found.push(path.join(at, 'tsconfig.json'));
        if (at === this.repoRoot) break;
      }
      return found;
    });
    const packages = sources.flatMap((file) => {
      const dir = packageOf(file);
      return dir === undefined ? [] : [path.join(dir, 'package.json')];
    });
    const files = [...new Set([...sources, ...buildCode, ...tools, ...configs, ...packages])];
    const entry: Entry = {
      files: Object.fromEntries(files.sort().map((file) => [relative(file), hashOf(file)])),
      dirs: Object.fromEntries(
        [...sourceDirs].sort().map((dir) => [relative(dir), listingOf(dir)]),
      ),
      sha256: sha256(zip),
    };
    mkdirSync(this.dir, { recursive: true });
    // The zip first and the entry last, each renamed into place: a reader sees whole files only.
    const partial = `.${process.pid}.partial`;
    writeFileSync(`${this.zipFile}${partial}`, zip);
    renameSync(`${this.zipFile}${partial}`, this.zipFile);
    writeFileSync(`${this.entryFile}${partial}`, JSON.stringify(entry));
    renameSync(`${this.entryFile}${partial}`, this.entryFile);
    this.prune();
  }

  /** Drops all but the most recently used entries. */
  private prune(): void {
    const entries = readdirSync(this.dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({ file, used: statSync(path.join(this.dir, file)).mtimeMs }))
      .sort((a, b) => b.used - a.used);
    for (const { file } of entries.slice(KEPT_ENTRIES)) {
      const key = file.slice(0, -'.json'.length);
      for (const name of [`${key}.json`, `${key}.zip`]) {
        rmSync(path.join(this.dir, name), { force: true });
      }
    }
  }
}
