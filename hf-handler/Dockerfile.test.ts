import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { DockerfileParser, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HEALTH_ROUTE } from '../speech/index.ts';
import handlerPackage from './package.json';
import { TINY_MODEL_FILE, writeTinyKokoro } from './testing/tiny-kokoro';

const ROOT = join(__dirname, '..');
const dockerfile = DockerfileParser.parse(readFileSync(join(__dirname, 'Dockerfile'), 'utf8'));
const [buildStage, runtimeStage] = dockerfile.getFROMs();
const instructions = dockerfile.getInstructions();
const inRuntime = (i: Instruction) => i.getRange().start.line > runtimeStage!.getRange().start.line;
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
const only = (keyword: string) => instructions.filter((i) => i.getKeyword() === keyword);
const startCommand = (only('CMD').at(-1) as JSONInstruction)
  .getJSONStrings()
  .map((s) => s.getJSONValue());
const runtimeCopies = dockerfile.getCOPYs().filter(inRuntime);
const buildCopies = dockerfile.getCOPYs().filter((c) => !c.getFromFlag());
const runtimeWorkdir = args(only('WORKDIR').filter(inRuntime).at(-1)!)[0]!;
const runtimeEnv = Object.fromEntries(
  only('ENV')
    .filter(inRuntime)
    .flatMap(args)
    .map((pair) => pair.split('=')),
) as Record<string, string>;

describe('hf-handler/Dockerfile', () => {
  it('builds in two stages for linux/amd64 and runs as a non-root user', () => {
    expect(dockerfile.getFROMs()).toHaveLength(2);
    for (const from of [buildStage!, runtimeStage!]) {
      expect(from.getFlags().map((f) => `${f.getName()}=${f.getValue()}`)).toContain(
        'platform=linux/amd64',
      );
    }
    const users = only('USER')
      .filter(inRuntime)
      .map((u) => args(u)[0]);
    expect(users.length).toBe(1);
    expect(users[0]).not.toMatch(/^(root|0)$/);
  });

  it('copies only files that exist in the repository into the build stage', () => {
    const sources = buildCopies.flatMap((c) => args(c).slice(0, -1));
    expect(sources).toContain('hf-handler/src');
    // BuildKit reads Dockerfile.dockerignore beside the Dockerfile: it excludes all but these.
    const allowed = readFileSync(join(__dirname, 'Dockerfile.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1));
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(allowed, source).toContain(source);
    }
  });

  it('copies every source the bundle is built from; npm ci installs the packages', async () => {
    const { metafile } = await build({
      entryPoints: [join(__dirname, handlerPackage.main)],
      bundle: true,
      platform: 'node',
      external: handlerPackage.scripts.build.match(/(?<=--external:)\S+/g)!,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const copied = buildCopies.flatMap((c) => args(c).slice(0, -1));
    const inputs = Object.keys(metafile.inputs).map((input) => relative(ROOT, resolve(input)));
    expect(inputs).toContain('speech/contract.ts');
    const uncopied = inputs.filter(
      (input) =>
        !/(^|\/)node_modules\//.test(input) &&
        !copied.some((source) => input === source || input.startsWith(`${source}/`)),
    );
    expect(uncopied).toEqual([]);
  });

  it('bakes no model weights in', () => {
    const copied = dockerfile.getCOPYs().flatMap(args).join(' ');
    expect(copied).not.toMatch(/\.onnx|\.bin|voices|repository/);
  });

  it('checks health on the handler’s health route and port', () => {
    const check = args(only('HEALTHCHECK')[0]!).join(' ');
    expect(check).toContain(`'${HEALTH_ROUTE}'`);
    expect(check).toContain('process.env.PORT');
  });
});

describe('the command the image starts, run from the layout the Dockerfile copies', () => {
  let root: string;
  let modelDir: string;
  let child: ChildProcessWithoutNullStreams;
  const lines: string[] = [];

  beforeAll(async () => {
    const build = instructions.find((i) => i.getKeyword() === 'RUN' && args(i).includes('build'))!;
    await promisify(execFile)(args(build)[0]!, args(build).slice(1), { cwd: ROOT });
    root = await mkdtemp(join(tmpdir(), 'hf-image-'));
    modelDir = join(root, 'repository');
    await writeTinyKokoro(modelDir);
    // The build stage's WORKDIR /app is the repository root here.
    for (const copy of runtimeCopies) {
      const [source, destination] = args(copy) as [string, string];
      const target = join(root, posix.resolve(runtimeWorkdir, destination));
      await mkdir(dirname(target), { recursive: true });
      await symlink(join(ROOT, relative('/app', source)), target);
    }
    const [command, ...commandArgs] = startCommand;
    child = spawn(command!, commandArgs, {
      cwd: join(root, runtimeWorkdir),
      env: {
        ...process.env,
        ...runtimeEnv,
        PORT: '0',
        MODEL_DIR: modelDir,
        MODEL_FILE: TINY_MODEL_FILE,
        DEFAULT_VOICE: 'af_tiny',
      },
    });
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  });

  afterAll(async () => {
    child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('is `node dist/main.js`, the bundle the build script writes', () => {
    expect(startCommand).toEqual(['node', 'dist/main.js']);
    expect(existsSync(join(__dirname, 'dist', 'main.js'))).toBe(true);
  });

  it('serves health 200 once loaded, speaks, and stops cleanly on SIGTERM', async () => {
    const port = await vi.waitFor(
      () => {
        const listening = logged().find((l) => l.msg === 'listening');
        expect(listening).toBeDefined();
        return listening!.port as number;
      },
      { timeout: 20_000 },
    );
    const base = `http://127.0.0.1:${port}`;
    await vi.waitFor(async () => expect((await fetch(`${base}${HEALTH_ROUTE}`)).status).toBe(200), {
      timeout: 20_000,
      interval: 100,
    });
    const res = await fetch(base, {
      method: 'POST',
      body: JSON.stringify({ text: 'Private words, spoken once.' }),
    });
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(logged().map((l) => l.msg)).toEqual(
      expect.arrayContaining(['listening', 'model loaded', 'request', 'shutting down', 'stopped']),
    );
    expect(lines.join('\n')).not.toMatch(/Private|spoken/);
  });
});
