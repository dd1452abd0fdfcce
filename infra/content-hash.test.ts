import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentHash } from './content-hash';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'content-hash-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('contentHash', () => {
  const files = {
    'package-lock.json': '{}',
    'handler/src/main.ts': 'main',
    'handler/node_modules/dep/index.js': 'dependency',
    'speech/index.ts': 'speech',
    'docs/guide.md': 'guide',
  };
  const handlerFiles = (file: string) =>
    file === 'package-lock.json' || /^(handler|speech)\//.test(file);

  it('gives the same hash when the walk is limited to where the files are', () => {
    const root = tree(files);
    expect(
      contentHash(root, handlerFiles, ['package-lock.json', 'handler', 'speech', 'gone']),
    ).toBe(contentHash(root, handlerFiles));
  });

  it('changes with a byte of an included file, not with one outside the walk', () => {
    const root = tree(files);
    const within = ['package-lock.json', 'handler', 'speech'];
    const before = contentHash(root, handlerFiles, within);
    writeFileSync(path.join(root, 'docs/guide.md'), 'edited');
    writeFileSync(path.join(root, 'handler/node_modules/dep/index.js'), 'edited');
    expect(contentHash(root, handlerFiles, within)).toBe(before);
    writeFileSync(path.join(root, 'speech/index.ts'), 'speeci');
    expect(contentHash(root, handlerFiles, within)).not.toBe(before);
  });
});
