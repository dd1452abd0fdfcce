import { redact } from '../redact';
import type { DriftCheck, DriftFinding } from './drift-checks';
import type { PreviewOutcome } from './preview-outcome';

export interface PreviewResult {
  outcome: PreviewOutcome;
  exitCode: number | null;
  /** The CLI's output; Pulumi prints secret values as [secret]. */
  output: string;
}

export interface DriftResult {
  status: 'clean' | 'drift' | 'error';
  findings: DriftFinding[];
  /** Checks that could not say (the preview failing, an API refusing): never read as clean. */
  errors: string[];
  report: string;
}

/** Exit codes of `npm run drift`: drift is news, an error means the answer is unknown. */
export const DRIFT_EXIT = { clean: 0, error: 1, drift: 3 } as const;

const PREVIEW_TAIL_LINES = 80;

/** Runs every check (one failing does not stop the others) and combines them with the preview. */
export async function runDrift(
  stack: string,
  preview: PreviewResult | undefined,
  checks: DriftCheck[],
  secrets: string[],
): Promise<DriftResult> {
  const findings: DriftFinding[] = [];
  const errors: string[] = [];
  if (preview?.outcome === 'error') {
    errors.push(`pulumi preview failed with exit code ${preview.exitCode}`);
  }
  for (const check of checks) {
    try {
      findings.push(...(await check.run()));
    } catch (error) {
      errors.push(`${check.name}: ${(error as Error).message}`);
    }
  }
  const previewDrift = preview?.outcome === 'drift';
  const status =
    errors.length > 0 ? 'error' : findings.length > 0 || previewDrift ? 'drift' : 'clean';
  const report = redact(renderReport(stack, preview, checks, findings, errors), secrets);
  return { status, findings, errors, report };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function renderReport(
  stack: string,
  preview: PreviewResult | undefined,
  checks: DriftCheck[],
  findings: DriftFinding[],
  errors: string[],
): string {
  const lines = [`## Drift of stack \`${stack}\``, ''];
  const ran = checks.filter((c) => c.skipped === undefined);
  const skipped = checks.filter((c) => c.skipped !== undefined);
  lines.push(
    `- \`pulumi preview --refresh --expect-no-changes\`: ${
      preview === undefined ? 'not run' : preview.outcome
    }`,
    `- explicit checks: ${ran.map((c) => c.name).join(', ') || 'none'}`,
    ...skipped.map((c) => `- skipped: ${c.name} (${c.skipped})`),
    '',
  );
  if (findings.length > 0) {
    lines.push('| resource | property | declared | actual |', '| --- | --- | --- | --- |');
    for (const f of findings) {
      lines.push(
        `| ${cell(f.resource)} | ${cell(f.property)} | ${cell(f.expected)} | ${cell(f.actual)} |`,
      );
    }
    lines.push('');
  }
  if (errors.length > 0) {
    lines.push('Checks that failed (their answer is unknown, not clean):', '');
    for (const error of errors) lines.push(`- ${cell(error)}`);
    lines.push('');
  }
  if (preview !== undefined && preview.outcome !== 'clean') {
    const tail = preview.output.trimEnd().split('\n').slice(-PREVIEW_TAIL_LINES).join('\n');
    lines.push('<details><summary>pulumi preview</summary>', '', '```', tail, '```', '</details>');
    lines.push('');
  }
  if (findings.length === 0 && errors.length === 0 && preview?.outcome !== 'drift') {
    lines.push('No drift.');
  }
  return lines.join('\n');
}
