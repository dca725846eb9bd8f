/**
 * @module report/step-summary
 * The Markdown a CI job shows on its summary page (GITHUB_STEP_SUMMARY): totals, the gate, and only what changed
 * since the baseline, or, without one, only what gates the run. Short by design: the full matrix is an artifact.
 */
import { statusLine, usageLine } from './markdown-report.ts';
import { STATUS_SYMBOLS, type CellChange, type Matrix } from './matrix.ts';

const row = (c: CellChange) => `| \`${c.model}\` | \`${c.check}\` | ${c.target} | ${c.before ? `${STATUS_SYMBOLS[c.before.status]} ${String(c.before.observed ?? '')}` : '–'} | ${c.after ? `${STATUS_SYMBOLS[c.after.status]} ${String(c.after.observed ?? '')}` : '–'} |`;

export function renderStepSummary(matrix: Matrix): string {
  const lines = [
    `### Mantle conformance: ${matrix.gate.exitCode === 0 ? 'pass' : 'fail'}`,
    '',
    `${matrix.models.length} models x ${matrix.checks.length} checks on ${matrix.targets.map((t) => t.id).join(', ')}: ${statusLine(matrix.totals.byStatus)}.`,
    `${usageLine(matrix)}, ${(matrix.run.durationMs / 1000).toFixed(1)} s.${matrix.run.partial ? ` **Partial run**: ${matrix.run.partialReason}.` : ''}`,
    '',
  ];
  const comparison = matrix.comparison;
  if (comparison) {
    lines.push(`Changes since run \`${comparison.baseline.runId}\`:`, '');
    const table = (title: string, changes: CellChange[]) => {
      if (changes.length === 0) return;
      lines.push(`**${title}** (${changes.length})`, '', '| model | check | target | before | after |', '|---|---|---|---|---|', ...changes.slice(0, 100).map(row), '');
    };
    table('New failures', comparison.newFailures);
    table('Fixes', comparison.fixes);
    table('Changed observed values', comparison.changedObserved);
    for (const [title, list] of [
      ['New models', comparison.newModels],
      ['Vanished models', comparison.vanishedModels],
      ['New checks', comparison.newChecks],
      ['Vanished checks', comparison.vanishedChecks],
    ] as const) {
      if (list.length) lines.push(`**${title}**: ${list.map((x) => `\`${x}\``).join(', ')}`, '');
    }
    if (!comparison.newFailures.length && !comparison.fixes.length && !comparison.changedObserved.length) lines.push('No cell changed.', '');
  } else if (matrix.gate.gating.length) {
    lines.push('**What fails the gate**', '', '| model | check | target | reason |', '|---|---|---|---|');
    for (const g of matrix.gate.gating.slice(0, 100)) lines.push(`| \`${g.model}\` | \`${g.check}\` | ${g.target} | ${g.reason.replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  return lines.join('\n');
}
