import { stackFile } from '../config';
import { flatten, type ResourceChange } from './compare';
import { renderEndpointCompute } from './endpoint-cost';
import type { PlannedResource, StackPlan } from './run-stack';

const show = (value: unknown) => {
  const text = value === undefined ? '(absent)' : JSON.stringify(value);
  return text.length > 90 ? `${text.slice(0, 87)}...` : text;
};

function renderResource(r: PlannedResource, indent: string, lines: string[]): void {
  const flags = [r.protect ? 'protected' : '', r.provider ? `provider=${r.provider}` : '']
    .filter(Boolean)
    .join(', ');
  lines.push(`${indent}${r.type}  ${r.name}${flags ? `  (${flags})` : ''}`);
  for (const [path, value] of flatten(r.inputs)) lines.push(`${indent}    ${path}: ${show(value)}`);
}

/** The resource tree (type, name, parent, inputs with secrets shown as [secret]) and what to do. */
export function renderPlan(plan: StackPlan): string {
  const lines = [
    `Stack ${plan.stack} (${stackFile(plan.stack)}): ${plan.resources.length} resources`,
  ];
  const children = new Map<string, PlannedResource[]>();
  for (const r of plan.resources) {
    const siblings = children.get(r.parent ?? '') ?? [];
    siblings.push(r);
    children.set(r.parent ?? '', siblings);
  }
  const walk = (parent: string, indent: string) => {
    for (const r of children.get(parent) ?? []) {
      renderResource(r, indent, lines);
      walk(r.name, `${indent}  `);
    }
  };
  walk('', '  ');

  lines.push('', ...renderEndpointCompute(plan));
  lines.push('', 'Outputs:');
  for (const [key, value] of Object.entries(plan.outputs)) lines.push(`  ${key}: ${show(value)}`);

  if (plan.missingSecrets.length > 0) {
    lines.push('', `Secrets still to set (${plan.missingSecrets.length}):`);
    for (const s of plan.missingSecrets) lines.push(`  ${s.command}    # ${s.description}`);
  }
  lines.push('', `Policy violations: ${plan.violations.length}`);
  for (const v of plan.violations) lines.push(`  [${v.policy}] ${v.urn}: ${v.message}`);
  return lines.join('\n');
}

export function renderComparison(a: string, b: string, changes: ResourceChange[]): string {
  const lines = [`Compare ${a} -> ${b}: ${changes.length} resources differ`];
  for (const change of changes) {
    if (change.kind === 'only-in-a') lines.push(`  - ${change.resource}  (${a} only)`);
    else if (change.kind === 'only-in-b') lines.push(`  + ${change.resource}  (${b} only)`);
    else {
      lines.push(`  ~ ${change.resource}`);
      for (const c of change.changes) lines.push(`      ${c.path}: ${show(c.a)} -> ${show(c.b)}`);
    }
  }
  return lines.join('\n');
}
