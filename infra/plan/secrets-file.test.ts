import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlanError } from './plan';
import { readSecretsFile } from './secrets-file';

const SENTINEL = 'SENTINEL-c0ffee';
const dir = mkdtempSync(path.join(tmpdir(), 'secrets-file-'));

function fileWith(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The PlanError a bad file raises; it must be exit 2 and carry no secret value. */
function refusal(file: string): string {
  try {
    readSecretsFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).exitCode).toBe(2);
    expect((error as Error).message).not.toContain('SENTINEL');
    expect((error as Error).message).not.toContain('c0ffee');
    return (error as Error).message;
  }
  throw new Error(`expected ${file} to be refused`);
}

describe('readSecretsFile', () => {
  it('reads a YAML or JSON map of secret names, bare or in full, to values', () => {
    const yaml = fileWith('ok.yaml', `hfToken: ${SENTINEL}-1\nread-aloud:registryToken: "x: y"\n`);
    expect(readSecretsFile(yaml)).toEqual({
      'read-aloud:hfToken': `${SENTINEL}-1`,
      'read-aloud:registryToken': 'x: y',
    });
    const json = fileWith('ok.json', JSON.stringify({ hfToken: 'a', repoAdminToken: 'b' }));
    expect(readSecretsFile(json)).toEqual({
      'read-aloud:hfToken': 'a',
      'read-aloud:repoAdminToken': 'b',
    });
  });

  it('names the file, line and key of a duplicate key, never the values', () => {
    const file = fileWith(
      'dup.yaml',
      `hfToken: ${SENTINEL}-a\nrepoAdminToken: ${SENTINEL}-b\nhfToken: ${SENTINEL}-c\n`,
    );
    expect(refusal(file)).toContain(`${file}:3 read-aloud:hfToken: duplicate key`);
  });

  it('refuses a duplicate key in JSON too, which JSON.parse would silently take the last of', () => {
    const file = fileWith('dup.json', `{"hfToken": "${SENTINEL}-a",\n "hfToken": "${SENTINEL}-b"}`);
    expect(refusal(file)).toContain(`${file}:2 read-aloud:hfToken: duplicate key`);
  });

  it('names the line and key of broken YAML without quoting it', () => {
    const file = fileWith('broken.yaml', `hfToken: "${SENTINEL}\nrepoAdminToken: ${SENTINEL}\n`);
    expect(refusal(file)).toMatch(
      new RegExp(`${file}:\\d+ read-aloud:hfToken: invalid YAML or JSON \\(MISSING_CHAR\\)`),
    );
    const indented = fileWith('indent.yaml', `hfToken: a\n  repoAdminToken: ${SENTINEL}\n`);
    expect(refusal(indented)).toContain(`${indented}:1 read-aloud:hfToken:`);
  });

  it('names the line of broken JSON without quoting it', () => {
    const file = fileWith('broken.json', `{"hfToken": "${SENTINEL}" "repoAdminToken": "x"}`);
    expect(refusal(file)).toMatch(
      new RegExp(`${file}:1 read-aloud:hfToken: invalid YAML or JSON \\(UNEXPECTED_TOKEN\\)`),
    );
  });

  it('refuses empty, non-string and map values, naming each key', () => {
    const file = fileWith(
      'values.yaml',
      [
        'hfToken: ""',
        'repoAdminToken:',
        'registryToken: 12345',
        'chromeClientId: true',
        `chromeClientSecret: {nested: ${SENTINEL}}`,
        `chromeRefreshToken: [${SENTINEL}]`,
        'supabaseDbPassword: !!binary aGVsbG8=',
      ].join('\n'),
    );
    const message = refusal(file);
    for (const [line, key, kind] of [
      [1, 'hfToken', 'empty'],
      [2, 'repoAdminToken', 'empty'],
      [3, 'registryToken', 'a number'],
      [4, 'chromeClientId', 'a boolean'],
      [5, 'chromeClientSecret', 'a map'],
      [6, 'chromeRefreshToken', 'a list'],
      [7, 'supabaseDbPassword', 'binary'],
    ]) {
      expect(message).toContain(
        `${file}:${line} read-aloud:${key}: must be a non-empty string, not ${kind}`,
      );
    }
  });

  it('follows an alias to its string value', () => {
    const file = fileWith('alias.yaml', `hfToken: &t ${SENTINEL}\nregistryToken: *t\n`);
    expect(readSecretsFile(file)['read-aloud:registryToken']).toBe(SENTINEL);
  });

  it('refuses a key that is not a secret name without echoing it, since it may be a value', () => {
    const file = fileWith('unknown.yaml', `hfToken: a\n${SENTINEL}: b\n`);
    expect(refusal(file)).toContain(`${file}:2: not a secret name`);
  });

  it('refuses the same secret given bare and in full', () => {
    const file = fileWith('twice.yaml', 'hfToken: a\nread-aloud:hfToken: b\n');
    expect(refusal(file)).toContain(`${file}:2 read-aloud:hfToken: given twice`);
  });

  it('refuses a file that is not a map, an empty file, and a missing file', () => {
    expect(refusal(fileWith('list.yaml', `- ${SENTINEL}\n`))).toContain('must hold a map');
    expect(refusal(fileWith('empty.yaml', ''))).toContain('must hold a map');
    expect(refusal(path.join(dir, 'absent.yaml'))).toBe(
      `--secrets-file ${path.join(dir, 'absent.yaml')} cannot be read (ENOENT)`,
    );
  });
});
