import { readFileSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { fullKey, secretKeys } from '../config';
import { PlanError } from './plan';

// A secret may be named bare (`hfToken`) or in full (`read-aloud:hfToken`).
const fullNames = new Map<string, string>(
  secretKeys.flatMap((key) => [
    [key, fullKey(key)],
    [fullKey(key), fullKey(key)],
  ]),
);

interface Problem {
  offset: number;
  key?: string;
  why: string;
}

function kindOf(node: Node | null | undefined): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  const value = isScalar(node) ? node.value : null;
  if (value === null || value === '') return 'empty';
  return ['string', 'number', 'boolean'].includes(typeof value) ? `a ${typeof value}` : 'binary';
}

// A key is shown only when it is a secret's name: anything else might be a value typed in its place.
function secretName(node: unknown): string | undefined {
  const name = isScalar(node) ? node.value : undefined;
  return typeof name === 'string' ? fullNames.get(name) : undefined;
}

const startOf = (node: unknown) => (node as Node | null)?.range?.[0] ?? 0;

/**
 * The secret values of a YAML or JSON map file: each a non-empty string under a secret's name.
 * Every problem names the file, the line and the key, never a value: the parser's own messages
 * quote the file, so only their codes are shown.
 */
export function readSecretsFile(file: string): Record<string, string> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PlanError(
      `--secrets-file ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`,
      2,
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  const pairs = isMap(doc.contents) ? doc.contents.items : [];
  const problems: Problem[] = doc.errors.map((error) => ({
    offset: error.pos[0],
    // The key the error sits under: the last one starting at or before it.
    key: secretName(pairs.findLast((pair) => startOf(pair.key) <= error.pos[0])?.key),
    why: error.code === 'DUPLICATE_KEY' ? 'duplicate key' : `invalid YAML or JSON (${error.code})`,
  }));
  if (problems.length === 0 && !isMap(doc.contents)) {
    throw new PlanError(`--secrets-file ${file} must hold a map of secret name to value`, 2);
  }
  const secrets: Record<string, string> = {};
  for (const pair of problems.length === 0 ? pairs : []) {
    const key = secretName(pair.key);
    const node = isAlias(pair.value) ? pair.value.resolve(doc) : (pair.value as Node | null);
    const kind = kindOf(node);
    if (key === undefined) {
      problems.push({ offset: startOf(pair.key), why: 'not a secret name (see infra/config.ts)' });
    } else if (kind !== 'a string') {
      problems.push({
        offset: startOf(pair.key),
        key,
        why: `must be a non-empty string, not ${kind}`,
      });
    } else if (key in secrets) {
      problems.push({ offset: startOf(pair.key), key, why: 'given twice' });
    } else {
      secrets[key] = String((node as { value: string }).value);
    }
  }
  if (problems.length > 0) {
    const where = (p: Problem) =>
      `${file}:${lines.linePos(p.offset).line}${p.key ? ` ${p.key}` : ''}`;
    throw new PlanError(
      `--secrets-file ${file} is invalid (values are never shown):\n` +
        problems.map((p) => `  ${where(p)}: ${p.why}`).join('\n'),
      2,
    );
  }
  return secrets;
}
