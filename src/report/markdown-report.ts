/**
 * @module report/markdown-report
 * `matrix.md`: provenance on top (live endpoint, recordings of one, or recordings of the emulator), a legend,
 * one table per target with models as rows and checks as columns, then what gates the run.
 */
import type { CheckStatus } from '../checks/types.ts';
import { groupedChecks } from './build-matrix.ts';
import { DEVIATION_MARK, STATUS_SYMBOLS, isKnownDeviation, type Matrix, type MatrixCheck, type MatrixResult, type MatrixTarget } from './matrix.ts';
import type { ReportWriter } from './report-writer.ts';

export const markdownReport: ReportWriter = {
  name: 'markdown',
  render: (matrix) => [{ path: 'matrix.md', content: renderMarkdown(matrix) }],
};

export function describeProvenance(target: MatrixTarget): string {
  const { sources, recordedFrom, recordedTo } = target.provenance;
  const day = (iso: string | undefined) => iso?.slice(0, 10);
  const when = recordedFrom ? `, recorded ${day(recordedFrom)}${recordedTo && day(recordedTo) !== day(recordedFrom) ? ` to ${day(recordedTo)}` : ''}` : '';
  const place = target.region ? `region ${target.region}` : (target.endpointHost ?? target.id);
  const what = (source: string) => (source === 'emulator' ? 'the local Mantle emulator' : `a live endpoint (${place})`);
  if (target.mode === 'replay') {
    return sources.length === 0 ? `replay, but no recordings were found (${place})` : `replay of recordings of ${sources.map(what).join(' and ')}${when}`;
  }
  const source = sources.includes('emulator') ? 'the local Mantle emulator' : place;
  return target.mode === 'record' ? `recorded live from ${source}` : `live run against ${source}`;
}

const cell = (r: MatrixResult | undefined, check?: MatrixCheck): string => {
  if (!r) return '';
  const deviation = isKnownDeviation(r, check) ? ` ${DEVIATION_MARK}` : '';
  // A null that was observed (e.g. max_output_tokens: null) is a value; a null of a cell that observed nothing is not.
  const observed = r.observed === null ? (r.status === 'pass' || r.status === 'fail' ? ' null' : '') : ` ${String(r.observed)}`;
  return `${STATUS_SYMBOLS[r.status]}${observed}${deviation}`.replace(/\|/g, '\\|');
};

export function renderMarkdown(matrix: Matrix): string {
  const lines: string[] = [];
  const { run, totals } = matrix;
  lines.push('# Mantle compatibility matrix', '');
  for (const target of matrix.targets) lines.push(`- **${target.id}**: ${describeProvenance(target)}`);
  lines.push(
    `- Run ${run.id}, ${run.finishedAt.slice(0, 19).replace('T', ' ')} UTC, ${(run.durationMs / 1000).toFixed(1)} s, mantle-conformance ${run.harnessVersion}`,
    `- ${matrix.models.length} models x ${matrix.checks.length} checks: ${statusLine(totals.byStatus)}`,
    `- ${usageLine(matrix)}`,
    `- Gate: ${matrix.gate.exitCode === 0 ? '**pass** (exit 0)' : `**fail** (exit 1): ${matrix.gate.gating.length} result(s) below`}`,
  );
  if (run.partial) lines.push(`- **Partial run**: ${run.partialReason ?? 'did not finish'}; cells not reached are skipped`);
  if (matrix.comparison) {
    const c = matrix.comparison;
    lines.push(`- Since run ${c.baseline.runId}: ${c.newFailures.length} new failure(s), ${c.fixes.length} fix(es), ${c.changedObserved.length} changed value(s)${c.regressed ? ' (**regressed**)' : ''}`);
  }
  lines.push(
    '',
    `Legend: ${(Object.entries(STATUS_SYMBOLS) as [CheckStatus, string][]).map(([s, sym]) => `${sym} ${s}`).join(' · ')} · ${DEVIATION_MARK} known deviation (as expected, but not what the OpenAI/Anthropic reference says). A cell shows the status and the observed value.`,
    '',
  );
  const index = new Map(matrix.results.map((r) => [`${r.target}\u0000${r.model}\u0000${r.check}`, r]));
  const at = (target: string, model: string, check: string) => index.get(`${target}\u0000${model}\u0000${check}`);
  for (const target of matrix.targets) {
    if (matrix.targets.length > 1) lines.push(`## ${target.id}`, '');
    for (const { group, checks } of groupedChecks(matrix)) {
      // A model none of whose cells apply (it does not serve the API) gets a line, not a row of dashes.
      const rows = matrix.models.filter((m) => checks.some((c) => at(target.id, m.id, c.id)?.status !== 'unsupported'));
      const unserved = matrix.models.filter((m) => !rows.includes(m));
      lines.push(`### ${group}`, '');
      if (rows.length > 0) {
        lines.push(`| model | ${checks.map((c) => `\`${c.id}\``).join(' | ')} |`, `|---|${checks.map(() => '---').join('|')}|`);
        for (const model of rows) {
          lines.push(`| \`${model.id}\`${model.inCatalog ? '' : ' (not in catalog)'} | ${checks.map((c) => cell(at(target.id, model.id, c.id), c)).join(' | ')} |`);
        }
        lines.push('');
      }
      if (unserved.length > 0) lines.push(`Not applicable (the model does not serve the API): ${unserved.map((m) => `\`${m.id}\``).join(', ')}`, '');
    }
  }
  const gating = matrix.results.filter((r) => r.gating);
  lines.push('## What fails the gate', '');
  if (gating.length === 0) lines.push('Nothing: every result meets its stated expectation.', '');
  else for (const r of gating) lines.push(`- ${STATUS_SYMBOLS[r.status]} \`${r.model}\` \`${r.check}\` (${r.target}): ${r.reason}`);
  const deviations = matrix.results.filter((r) => !r.gating && (r.status === 'fail' || r.status === 'error'));
  if (deviations.length > 0) {
    lines.push('', '## Deviations without a stated expectation (do not gate)', '');
    for (const r of deviations) lines.push(`- ${STATUS_SYMBOLS[r.status]} \`${r.model}\` \`${r.check}\` (${r.target}): ${r.reason}`);
  }
  const perModel = Object.entries(matrix.totals.perModel);
  if (perModel.length > 0) {
    const live = matrix.targets.some((t) => t.mode !== 'replay');
    lines.push('', '## Requests and tokens per model', '', `| target/model | ${live ? 'requests' : 'exchanges replayed'} | tokens in | tokens out |${live ? ' wall time |' : ''}`, `|---|---|---|---|${live ? '---|' : ''}`);
    for (const [key, u] of perModel) lines.push(`| \`${key}\` | ${u.requests} | ${u.inputTokens} | ${u.outputTokens} |${live ? ` ${((u.wallMs ?? 0) / 1000).toFixed(1)} s |` : ''}`);
  }
  lines.push('', '## Checks', '', '| check | observes | vocabulary |', '|---|---|---|');
  for (const c of matrix.checks) lines.push(`| \`${c.id}\` | ${c.title} | ${c.vocabulary === 'number-or-null' ? 'a number or null' : c.vocabulary.map((v) => `\`${v}\``).join(', ')} |`);
  lines.push('');
  return lines.join('\n');
}

/** Requests and tokens, said as what they are: in replay nothing was sent. */
export function usageLine(matrix: Matrix): string {
  const { requests, inputTokens, outputTokens } = matrix.totals.usage;
  const tokens = `tokens ${inputTokens} in / ${outputTokens} out`;
  return matrix.targets.every((t) => t.mode === 'replay') ? `Replayed ${requests} recorded exchanges (nothing was sent; recorded ${tokens})` : `Requests ${requests}, ${tokens}`;
}

export function statusLine(byStatus: Record<CheckStatus, number>): string {
  return (Object.keys(STATUS_SYMBOLS) as CheckStatus[]).map((s) => `${byStatus[s]} ${s}`).join(', ');
}
