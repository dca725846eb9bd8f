/**
 * @module report/step-summary
 * The Markdown a CI job shows on its summary page (GITHUB_STEP_SUMMARY): the gate and the coverage first, what
 * fails the run, then only what changed since the baseline (each change once, under the most specific heading),
 * or, without one, the errors and skips. Short by design: every list bounded, the whole at most MAX_SUMMARY_BYTES
 * (GitHub drops a larger one), the full matrix an artifact, linked when the CI environment gives the pieces of its
 * URL. Every string from a run is neutralised (`markdownText`).
 */
import { changeSections, notComparedLabel } from './compare.ts';
import { unreachedLabel } from './baseline-not-run.ts';
import { coverageLine, gateLine } from './gate.ts';
import { shardHeading } from './gate-line.ts';
import { markdownCode, markdownText } from './inert-text.ts';
import { statusLine, uncomparedLines, usageLine } from './markdown-report.ts';
import { NEW_MODEL_NOTE, newModels } from './model-lists.ts';
import { pairKey, resultKey, STATUS_SYMBOLS, type CellChange, type Matrix, type MatrixResult } from './matrix.ts';
import { answeredAsAnother, answeredAsAnotherLine, unobservedPairs } from './observed-models.ts';
import { boundProblems, PROBLEM_BYTES } from './problem-list.ts';

/** Rows per table: a summary page is read, not searched. */
const MAX_ROWS = 50;
/**
 * The most a summary is, in bytes. GitHub shows at most 1 MiB per step and drops a larger summary whole; half that
 * leaves room for a second command's summary in the same step (`run`, then `merge`).
 */
export const MAX_SUMMARY_BYTES = 512 * 1024;

/** The URL of this CI run's page (where the report artifact is), when GitHub Actions' variables say it and look right. */
export function ciRunUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const server = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY;
  const runId = env.GITHUB_RUN_ID;
  if (!server || !repository || !runId) return undefined;
  if (!/^https:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(server) || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository) || !/^\d+$/.test(runId)) return undefined;
  return `${server}/${repository}/actions/runs/${runId}`;
}

const side = (s: CellChange['before']) => (s ? `${STATUS_SYMBOLS[s.status]} ${markdownText(s.observed ?? '', 80)}` : '–');
const changeRow = (c: CellChange) => `| ${markdownCode(c.model)} | ${markdownCode(c.check)} | ${markdownText(c.target, 80)} | ${side(c.before)} | ${side(c.after)} |`;
const resultRow = (r: Pick<MatrixResult, 'model' | 'check' | 'target' | 'reason'>) => `| ${markdownCode(r.model)} | ${markdownCode(r.check)} | ${markdownText(r.target, 80)} | ${markdownText(r.reason, 300)} |`;

function table<T>(lines: string[], title: string, header: string, rows: readonly T[], row: (x: T) => string): void {
  if (rows.length === 0) return;
  const columns = header.split('|').length - 2;
  lines.push(`**${title}** (${rows.length})`, '', header, `|${'---|'.repeat(columns)}`, ...rows.slice(0, MAX_ROWS).map(row));
  if (rows.length > MAX_ROWS) lines.push(`| ... ${rows.length - MAX_ROWS} more in the report |${' |'.repeat(columns - 1)}`);
  lines.push('');
}

/** Options of a summary: the run's page, warnings the command gave (a matrix.json too large to read again), the size cap. */
export interface StepSummaryOptions {
  runUrl?: string | undefined;
  notes?: readonly string[];
  maxBytes?: number;
  /** The run's exit code when it is not the gate's (the vitest view broke), and why: said under the gate line. */
  exit?: { code: number; why: string };
}

/** The summary, cut at a line when it would pass `maxBytes` (MAX_SUMMARY_BYTES), saying so: the page is never lost. */
export function renderStepSummary(matrix: Matrix, options: StepSummaryOptions = { runUrl: ciRunUrl() }): string {
  const text = summaryText(matrix, options);
  const max = options.maxBytes ?? MAX_SUMMARY_BYTES;
  if (Buffer.byteLength(text) <= max) return text;
  const footer = `\n\n**The summary is cut here** (at ${Math.floor(max / 1024)} KiB; GitHub drops a job summary past 1 MiB): the full report is matrix.md, among the job's reports.\n`;
  const kept: string[] = [];
  let bytes = Buffer.byteLength(footer);
  for (const whole of text.split('\n')) {
    // A line past a tenth of the cap (a list no bound foresaw) is cut itself: dropped, it took every line after it.
    const line = Buffer.byteLength(whole) > max / 10 ? `${[...whole].slice(0, Math.floor(max / 40)).join('')} ... (cut)` : whole;
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > max) break;
    kept.push(line);
  }
  return kept.join('\n') + footer;
}

function summaryText(matrix: Matrix, options: StepSummaryOptions): string {
  const gate = matrix.gate;
  const lines = [
    `### Mantle conformance: ${gate.verdict}${markdownText(shardHeading(matrix.run), 300)}`,
    '',
    `**Gate: ${markdownText(gateLine(gate, matrix.run), 600)}**`,
    '',
    // The job's page must not read "exit 0" for a job that went red: the gate above is the cells', the exit code this.
    ...(options.exit ? [`**The run exits ${options.exit.code}, not the gate's exit code**: ${markdownText(options.exit.why, 1000)}`, ''] : []),
    `Coverage: ${coverageLine(matrix)}.`,
    `${matrix.models.length} models x ${matrix.checks.length} checks on ${markdownText(matrix.targets.map((t) => t.id).join(', '), 300)}: ${statusLine(matrix)}.`,
    `${markdownText(usageLine(matrix), 300)}, ${(matrix.run.durationMs / 1000).toFixed(1)} s.`,
    '',
  ];
  if (options.runUrl) lines.push(`Full report: matrix.html and matrix.json among the artifacts of [this run](${options.runUrl}), where the job uploads its --report-dir.`, '');
  for (const note of options.notes ?? []) lines.push(`- ${markdownText(note, 1000)}`, '');
  // Bounded as the tables are: an outage makes one "nothing observed" problem per target and model.
  const problems = boundProblems(gate.problems, MAX_ROWS, 'matrix.md');
  if (problems.shown.length) lines.push(...problems.shown.map((p) => `- ${markdownText(p.message, PROBLEM_BYTES)}`), ...(problems.more ? [`- ${markdownText(problems.more, 1000)}`] : []), '');
  const answered = answeredAsAnother(matrix);
  if (answered.length) lines.push(...answered.slice(0, MAX_ROWS).map((a) => `- note: ${markdownText(answeredAsAnotherLine(a), 600)}`), ...(answered.length > MAX_ROWS ? [`- ... and ${answered.length - MAX_ROWS} more in matrix.md`] : []), '');
  const fresh = newModels(matrix);
  // An endpoint may list thousands of ids the catalog lacks: named as the tables' rows are, the rest counted.
  if (fresh.length) lines.push(`**New models** (${fresh.length}; ${NEW_MODEL_NOTE}): ${fresh.slice(0, MAX_ROWS).map((id) => markdownCode(id)).join(', ')}${fresh.length > MAX_ROWS ? `, ... and ${fresh.length - MAX_ROWS} more in matrix.md` : ''}`, '');
  const results = matrix.results;
  const comparison = matrix.comparison;
  if (comparison) {
    lines.push(`Changes since run ${markdownCode(comparison.baseline.runId)}:`, '');
    const sections = changeSections(comparison);
    for (const { title, changes } of sections) table(lines, title, '| model | check | target | before | after |', changes, changeRow);
    for (const [title, list] of [
      ['New models', comparison.newModels],
      ['Vanished models', comparison.vanishedModels],
      ['New checks', comparison.newChecks],
      ['Vanished checks', comparison.vanishedChecks],
      [comparison.notSelected?.byShard ? `${notComparedLabel(comparison)}: models` : 'Not compared, one run did not select them (models)', comparison.notSelected?.models ?? []],
      [comparison.notSelected?.byShard ? `${notComparedLabel(comparison)}: checks` : 'Not compared, one run did not select them (checks)', comparison.notSelected?.checks ?? []],
      ...(comparison.baselineUnreached ? (['models', 'checks'] as const).map((k) => [`${unreachedLabel(comparison.baselineUnreached!)} (${k})`, comparison.baselineUnreached![k]] as const) : []),
    ] as const) {
      if (list.length) lines.push(`**${title}**: ${list.slice(0, MAX_ROWS).map(markdownCode).join(', ')}${list.length > MAX_ROWS ? ', ...' : ''}`, '');
    }
    lines.push(...uncomparedLines(comparison, sections.some((s) => s.changes.length > 0), matrix));
    // A failing gate always says why: every gating cell but the new failures (listed above), with its reason. It was
    // failing in the baseline, changed value, or was not compared (a merged region with no baseline of its own).
    const isNew = new Set(comparison.newFailures.map(resultKey));
    table(lines, 'Also failing the gate (not a new failure)', '| model | check | target | reason |', gate.gating.filter((g) => !isNew.has(resultKey(g))), resultRow);
    return lines.join('\n');
  }
  table(lines, 'What fails the gate', '| model | check | target | reason |', gate.gating, resultRow);
  const others = (status: MatrixResult['status']) => results.filter((r) => r.status === status && !r.gating && !r.notRun);
  // A model with nothing observed is one line above; its every cell again as an error row would bury the rest.
  const silent = unobservedPairs(gate);
  const errors = others('error');
  const listed = errors.filter((r) => !silent.has(pairKey(r.target, r.model)));
  table(lines, 'Errors (nothing observed; they do not gate one by one)', '| model | check | target | reason |', listed, resultRow);
  if (listed.length < errors.length) lines.push(`${errors.length - listed.length} error cell(s) of the models with nothing observed (the gate's list, above, and matrix.md) are not listed one by one.`, '');
  table(lines, 'Flaky (not gating)', '| model | check | target | reason |', others('flaky'), resultRow);
  table(lines, 'Inconclusive', '| model | check | target | reason |', others('inconclusive'), resultRow);
  table(lines, 'Skipped', '| model | check | target | reason |', others('skipped'), resultRow);
  return lines.join('\n');
}
