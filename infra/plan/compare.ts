import type { PlannedResource, StackPlan } from './run-stack';

export interface ResourceChange {
  resource: string;
  /** `only-in-a`, `only-in-b`, or `differs` with each differing input path. */
  kind: 'only-in-a' | 'only-in-b' | 'differs';
  changes: { path: string; a: unknown; b: unknown }[];
}

/** Flattens inputs (and protect) to `path -> value`, so a change reads as one line. */
export function flatten(value: unknown, prefix = '', into = new Map<string, unknown>()) {
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, into));
  } else if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    for (const [key, v] of Object.entries(value))
      flatten(v, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix !== '') {
    into.set(prefix, value);
  }
  return into;
}

const keyOf = (r: PlannedResource) => `${r.type}::${r.name}`;
const fieldsOf = (r: PlannedResource) => flatten({ ...r.inputs, '(protect)': r.protect });

/** What differs between two plans, resource by resource (matched by type and name). */
export function comparePlans(a: StackPlan, b: StackPlan): ResourceChange[] {
  const inA = new Map(a.resources.map((r) => [keyOf(r), r]));
  const inB = new Map(b.resources.map((r) => [keyOf(r), r]));
  const keys = [...new Set([...inA.keys(), ...inB.keys()])].sort();
  return keys.flatMap((resource): ResourceChange[] => {
    const ra = inA.get(resource);
    const rb = inB.get(resource);
    if (!rb) return [{ resource, kind: 'only-in-a', changes: [] }];
    if (!ra) return [{ resource, kind: 'only-in-b', changes: [] }];
    const fa = fieldsOf(ra);
    const fb = fieldsOf(rb);
    const changes = [...new Set([...fa.keys(), ...fb.keys()])]
      .sort()
      .filter((path) => JSON.stringify(fa.get(path)) !== JSON.stringify(fb.get(path)))
      .map((path) => ({ path, a: fa.get(path), b: fb.get(path) }));
    return changes.length > 0 ? [{ resource, kind: 'differs', changes }] : [];
  });
}
