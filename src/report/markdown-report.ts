/**
 * @module report/markdown-report
 * `matrix.md`: what matters first: the gate and the coverage (how much of the requested matrix was observed), what
 * fails the gate, failure counts per model and per check, the changes since the baseline; then provenance, the
 * legend, one table per check group with models as rows, deviations that do not gate, usage and latency. Every
 * string that came from a run (reasons, ids from a matrix.json) is neutralised for Markdown.
 */
import type { CheckStatus } from '../checks/types.ts';
import { countStatuses, groupedChecks } from './build-matrix.ts';
import { changeSections, uncomparedTargetsLine } from './compare.ts';
import { changedCheckLines } from './check-definitions.ts';
import { notRunCounts, notRunWords } from './coverage.ts';
import { shardHeading, shardOf } from './gate-line.ts';
import { cellsToLookAt, coverageLine, gateLine, gaveUpOnTarget, LOOK_AT, readOfUnobservedModels, UNOBSERVED_LABEL, wasInMissingShard, wasNotReached } from './gate.ts';
import { markdownCode, markdownText } from './inert-text.ts';
import { latencyRows } from './latency.ts';
import { DEVIATION_MARK, STATUS_LABELS, STATUS_SYMBOLS, isKnownDeviation, pairKey, resultKey, type Matrix, type MatrixCheck, type MatrixComparison, type MatrixResult, type MatrixTarget } from './matrix.ts';
import { buildMigration, migrationMarkdown } from './migration.ts';
import { modelListLines, NEW_MODEL_NOTE, newModels } from './model-lists.ts';
import { newFailureKeys, newFailuresLine } from './new-failures.ts';
import { comparedRun, type ComparedRun, nothingCompared, nothingComparedLine } from './nothing-compared.ts';
import { answeredAsAnother, answeredAsAnotherLine, NOTES_LISTED, unobservedPairs } from './observed-models.ts';
import { PROBLEM_BYTES } from './problem-list.ts';
import type { ReportWriter } from './report-writer.ts';

export const markdownReport: ReportWriter = {
  name: 'markdown',
  render: (matrix) => [{ path: 'matrix.md', content: renderMarkdown(matrix) }],
};

/**
 * The reports' title: a Mantle one when every target is a surface of Mantle's engine (Mantle, bedrock-runtime; a run
 * made before surfaces reads as Mantle), a plain one for a run with any other endpoint (a gateway, vLLM).
 */
export function matrixTitle(targets: readonly MatrixTarget[]): string {
  return targets.every((t) => t.surface !== 'custom') ? 'Mantle compatibility matrix' : 'Compatibility matrix';
}

/**
 * Where a target's results come from. With the matrix, a replay that read no recording because no cell of the
 * target ran here (a shard that holds none of its pairs, a filter, a merge's missing shard) says that, not that the
 * recordings are missing.
 */
export function describeProvenance(target: MatrixTarget, matrix?: Pick<Matrix, 'run' | 'results'>): string {
  const { sources, recordedFrom, recordedTo } = target.provenance;
  const day = (iso: string | undefined) => iso?.slice(0, 10);
  const when = recordedFrom ? `, recorded ${day(recordedFrom)}${recordedTo && day(recordedTo) !== day(recordedFrom) ? ` to ${day(recordedTo)}` : ''}` : '';
  const place = target.region ? `region ${target.region}` : (target.endpointHost ?? target.id);
  // The emulator serves either surface: a bedrock-runtime target's recordings are of its bedrock-runtime face.
  const emulator = target.surface === 'runtime' ? 'the local emulator of bedrock-runtime' : 'the local Mantle emulator';
  const what = (source: string) => (source === 'emulator' ? emulator : `a live endpoint (${place})`);
  if (target.mode === 'replay') {
    return sources.length === 0 ? (matrix && noneRanHere(target, matrix)) || `replay, but no recordings were found (${place})` : `replay of recordings of ${sources.map(what).join(' and ')}${when}`;
  }
  const source = sources.includes('emulator') ? emulator : place;
  return target.mode === 'record' ? `recorded live from ${source}` : `live run against ${source}`;
}

/** Why no cell of a target ran here, when none did nor was cut by a stop: `replay: shard 1/3 of run x holds no pair of this target`. */
function noneRanHere(target: MatrixTarget, matrix: Pick<Matrix, 'run' | 'results'>): string | undefined {
  const cells = matrix.results.filter((r) => r.target === target.id);
  if (cells.length === 0 || !cells.every((r) => r.notRun && !wasNotReached(r))) return undefined;
  const shard = shardOf(matrix.run);
  if (shard) return `replay: ${shard} holds no pair of this target, so no recording of it was read`;
  const reasons = new Set(cells.map((r) => r.reason.replace(/^not run:\s*/, '')));
  return `replay: no cell of this target ran here (${reasons.size === 1 ? [...reasons][0] : 'each was filtered out, another shard\'s or a missing shard\'s'}), so no recording of it was read`;
}

const cell = (r: MatrixResult | undefined, check?: MatrixCheck): string => {
  if (!r) return '';
  const deviation = isKnownDeviation(r, check) ? ` ${DEVIATION_MARK}` : '';
  // A null that was observed (e.g. max_output_tokens: null) is a value; a null of a cell that observed nothing is not.
  const observed = r.observed === null ? (r.status === 'pass' || r.status === 'fail' ? ' null' : '') : ` ${markdownText(r.observed, 60)}`;
  return `${STATUS_SYMBOLS[r.status]}${observed}${deviation}`;
};

/** A cell, its place and its reason, as one list item. */
const item = (r: Pick<MatrixResult, 'status' | 'model' | 'check' | 'target' | 'reason'>) =>
  `- ${STATUS_SYMBOLS[r.status]} ${markdownCode(r.model)} ${markdownCode(r.check)} (${markdownText(r.target, 80)}): ${markdownText(r.reason, 600)}`;

/** What the counts' skipped column holds: cells a stop did not reach, or a missing shard held, count there too. */
export function skippedColumn(results: readonly MatrixResult[]): string {
  const also = [results.some(wasNotReached) ? 'not reached' : '', results.some(wasInMissingShard) ? 'in a missing shard' : ''].filter(Boolean);
  return also.length ? `${['skipped', ...also.slice(0, -1)].join(', ')} or ${also.at(-1)}` : 'skipped';
}

/** Counts of the statuses that need a look, per key (model or check), only for keys that have any; worst first. */
function failureCounts(lines: string[], title: string, label: string, results: readonly MatrixResult[], keyOf: (r: MatrixResult) => string, marked: ReadonlySet<string> = new Set()): void {
  const rows = cellsToLookAt(results, keyOf);
  if (rows.length === 0) return;
  // Cells a stop did not reach (or a missing shard held) count as skipped here; the run's totals say them apart, so the column says it holds them.
  const skipped = `○ ${skippedColumn(results)}`;
  lines.push(`### ${title}`, '', `| ${label} | gating | ✗ fail | ! error | ≈ flaky | ? inconclusive | ${skipped} |`, '|---|---|---|---|---|---|---|');
  for (const [k, c] of rows.slice(0, 60)) lines.push(`| ${markdownCode(k)}${marked.has(k) ? ` (${UNOBSERVED_LABEL})` : ''} | ${c.gating} | ${c.fail} | ${c.error} | ${c.flaky} | ${c.inconclusive} | ${c.skipped} |`);
  if (rows.length > 60) lines.push(`| ... ${rows.length - 60} more (every cell is in matrix.html) | | | | | | |`);
  lines.push('');
}

const UNCERTAIN_TITLE = 'Deviations, errors, skipped and uncertain cells that do not gate';

/**
 * Markdown lines that open a comparison's changes (matrix.md, the step summary): the targets it could not compare,
 * and, when no cell changed, that none did among the targets compared (or that no cell was: `run`, the newer one).
 */
export function uncomparedLines(comparison: MatrixComparison, anyChanged: boolean, newer: ComparedRun | readonly { id: string }[] = []): string[] {
  const run = comparedRun(newer);
  const uncompared = uncomparedTargetsLine(comparison);
  if (nothingCompared(comparison, run)) return [...(uncompared ? [`**${markdownText(uncompared, 1000)}**`, ''] : []), `**Nothing was compared: ${markdownText(nothingComparedLine(comparison, run), 1000)}.**`, ''];
  // Checks the baseline's build defined otherwise: their cells were not compared (report/check-definitions.ts).
  const redefined = changedCheckLines(comparison).map((line) => `- ${markdownText(line, 1000)}`);
  const none = uncompared ? 'No cell of the targets compared changed.' : redefined.length ? 'No other cell changed.' : 'No cell changed.';
  return [...(uncompared ? [`**${markdownText(uncompared, 1000)}**`, ''] : []), ...(redefined.length ? [...redefined, ''] : []), ...(anyChanged ? [] : [none, ''])];
}

/** A cell the uncertain section lists: to look at, and gating neither alone nor as a new failure since the baseline (listed under Changes). */
function doesNotGate(matrix: Matrix): (r: MatrixResult) => boolean {
  const fresh = newFailureKeys(matrix);
  return (r) => !r.gating && !r.notRun && LOOK_AT.includes(r.status) && !fresh.has(resultKey(r));
}

function leadSection(matrix: Matrix, lines: string[]): void {
  const { gate } = matrix;
  lines.push(`**Gate: ${markdownText(gateLine(gate, matrix.run), 600)}**`, '', `Coverage: ${coverageLine(matrix)}.`, '');
  lines.push('## What fails the gate', '');
  if (gate.problems.length === 0 && gate.gating.length === 0 && !gate.regressedSinceBaseline) lines.push('Nothing: every result meets its stated expectation, and the run observed every model it ran.', '');
  for (const p of gate.problems) lines.push(`- **${p.kind}**: ${markdownText(p.message, PROBLEM_BYTES)}`);
  const gating = matrix.results.filter((r) => r.gating);
  for (const r of gating.slice(0, 200)) lines.push(item(r));
  if (gating.length > 200) lines.push(`- ... and ${gating.length - 200} more (see matrix.json)`);
  const regressed = newFailuresLine(matrix);
  if (regressed) lines.push(`- **new failures since the baseline**: ${markdownText(regressed, 2000)} (each with its reason under Changes, below)`);
  lines.push('');
  // A model with nothing observed: what its cells read is not the model's (the gate says why).
  const unobserved = unobservedPairs(gate);
  const marked = new Set(matrix.targets.flatMap((t) => matrix.models.filter((m) => unobserved.has(pairKey(t.id, m.id))).map((m) => `${t.id}/${m.id}`)));
  failureCounts(lines, 'Cells to look at, per model', 'target/model', matrix.results, (r) => `${r.target}/${r.model}`, marked);
  failureCounts(lines, 'Cells to look at, per check', 'check', matrix.results, (r) => r.check);
  // The reasons are far below (after every target's grid): said where the counts are, so they are found.
  if (matrix.results.some(doesNotGate(matrix))) {
    lines.push(`Each of these cells with its reason: [${UNCERTAIN_TITLE}](#${UNCERTAIN_TITLE.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')}), below (or matrix.html: click a cell).`, '');
  }
  const others = answeredAsAnother(matrix);
  if (others.length > 0) {
    lines.push("## Answered in another model's name", '', 'The gate cannot tell an alias from an id an endpoint routes to another model, so it does not fail a run for this; a person can.', '');
    for (const other of others.slice(0, NOTES_LISTED)) lines.push(`- ${markdownText(answeredAsAnotherLine(other), 600)}`);
    if (others.length > NOTES_LISTED) lines.push(`- ... and ${others.length - NOTES_LISTED} more (matrix.json: the cells' \`otherModel\`)`);
    lines.push('');
  }
  if (matrix.comparison) {
    const c = matrix.comparison;
    lines.push(`## Changes since run ${markdownCode(c.baseline.runId)}`, '');
    const sections = changeSections(c).filter((s) => s.changes.length);
    lines.push(...uncomparedLines(c, sections.length > 0, matrix));
    for (const { title, changes } of sections) {
      lines.push(`**${title}** (${changes.length})`, '');
      for (const x of changes.slice(0, 100)) lines.push(`- ${markdownCode(x.model)} ${markdownCode(x.check)} (${markdownText(x.target, 80)}): ${markdownText(x.reason, 600)}`);
      lines.push('');
    }
  }
}

export function renderMarkdown(matrix: Matrix): string {
  const lines: string[] = [];
  const { run } = matrix;
  lines.push(`# ${matrixTitle(matrix.targets)}${markdownText(shardHeading(run), 300)}`, '');
  leadSection(matrix, lines);
  const lists = modelListLines(matrix);
  if (lists.length) {
    lines.push('## Model lists', '');
    for (const id of newModels(matrix)) lines.push(`- ${markdownCode(id)}: ${NEW_MODEL_NOTE}`);
    for (const line of lists) lines.push(`- ${markdownText(line, 4000)}`);
    lines.push('');
  }
  lines.push('## Run', '');
  for (const target of matrix.targets) lines.push(`- **${markdownText(target.id, 80)}**: ${markdownText(describeProvenance(target, matrix), 300)}`);
  lines.push(
    `- Run ${markdownCode(run.id)}, ${markdownText(run.finishedAt.slice(0, 19).replace('T', ' '), 40)} UTC, ${(run.durationMs / 1000).toFixed(1)} s, mantle-conformance ${markdownText(run.harnessVersion, 40)}`,
    `- ${matrix.models.length} models x ${matrix.checks.length} checks: ${statusLine(matrix)}`,
    `- ${markdownText(usageLine(matrix), 300)}`,
  );
  // A target given up on leaves `error` cells, not skipped ones: said beside the skipped, never as them.
  const downCells = gaveUpOnTarget(run) ? ', and those of a target that stopped answering are error' : '';
  if (matrix.run.interrupted || matrix.gate.verdict === 'interrupted') lines.push(`- **Interrupted**: ${markdownText(run.partialReason ?? 'stopped', 1000)}; cells not reached are skipped${downCells}, and nothing skipped was checked`);
  else if (run.partial) lines.push(`- **Partial run**: ${markdownText(run.partialReason ?? 'did not finish', 1000)}; cells not reached are skipped${downCells}`);
  lines.push(
    '',
    `Legend: ${(Object.keys(STATUS_SYMBOLS) as CheckStatus[]).map((s) => `${STATUS_SYMBOLS[s]} ${STATUS_LABELS[s]}`).join(' · ')} · ${DEVIATION_MARK} known deviation (as expected, but not what the OpenAI/Anthropic reference says). A cell shows the status and the observed value.`,
    '',
  );
  const index = new Map(matrix.results.map((r) => [resultKey(r), r]));
  const at = (target: string, model: string, check: string) => index.get(resultKey({ target, model, check }));
  const unobserved = unobservedPairs(matrix.gate);
  for (const target of matrix.targets) {
    if (matrix.targets.length > 1) lines.push(`## ${markdownText(target.id, 80)}`, '');
    for (const { group, checks } of groupedChecks(matrix)) {
      // Each model's results of the group, looked up once for both what follows.
      const found = matrix.models.map((m) => ({ model: m, results: checks.map((c) => at(target.id, m.id, c.id)) }));
      // A model none of whose cells apply (it does not serve the API) gets a line, not a row of dashes.
      const rows = found.filter((row) => row.results.some((r) => r?.status !== 'unsupported'));
      const unserved = found.filter((row) => !rows.includes(row)).map((row) => row.model);
      lines.push(`### ${markdownText(group, 80)}`, '');
      if (rows.length > 0) {
        lines.push(`| model | ${checks.map((c) => markdownCode(c.id)).join(' | ')} |`, `|---|${checks.map(() => '---').join('|')}|`);
        for (const { model, results } of rows) {
          const label = `${model.discovered ? ' (new model)' : model.inCatalog ? '' : ' (not in catalog)'}${unobserved.has(pairKey(target.id, model.id)) ? ` (${UNOBSERVED_LABEL})` : ''}`;
          lines.push(`| ${markdownCode(model.id)}${label} | ${results.map((r, i) => cell(r, checks[i])).join(' | ')} |`);
        }
        lines.push('');
      }
      if (unserved.length > 0) lines.push(`Not applicable (the model does not serve the API): ${unserved.map((m) => markdownCode(m.id)).join(', ')}`, '');
    }
  }
  migrationSection(matrix, lines);
  uncertainSection(matrix, lines);
  const perModel = Object.entries(matrix.totals.perModel);
  if (perModel.length > 0) {
    const live = matrix.targets.some((t) => t.mode !== 'replay');
    lines.push('## Requests and tokens per model', '', `| target/model | ${live ? 'requests' : 'exchanges replayed'} | tokens in | tokens out |${live ? ' wall time |' : ''}`, `|---|---|---|---|${live ? '---|' : ''}`);
    for (const [key, u] of perModel) lines.push(`| ${markdownCode(key)} | ${u.requests} | ${u.inputTokens} | ${u.outputTokens} |${live ? ` ${((u.wallMs ?? 0) / 1000).toFixed(1)} s |` : ''}`);
    lines.push('');
  }
  const latency = latencyRows(matrix);
  if (latency.length > 0) {
    lines.push('## Latency (p50 / p95, ms)', '', '| target/model | API | exchanges | headers | first token | total | |', '|---|---|---|---|---|---|---|');
    for (const l of latency) lines.push(`| ${markdownCode(l.key)} | ${markdownText(l.api, 60)} | ${l.n} | ${l.headers} | ${l.firstToken} | ${l.total} | ${l.recorded ? 'recorded' : 'live'} |`);
    lines.push('');
  }
  lines.push('## Checks', '', '| check | observes | vocabulary |', '|---|---|---|');
  for (const c of matrix.checks) lines.push(`| ${markdownCode(c.id)} | ${markdownText(c.title, 300)} | ${c.vocabulary === 'number-or-null' ? 'a number or null' : c.vocabulary.map((v) => markdownCode(v)).join(', ')} |`);
  lines.push('');
  return lines.join('\n');
}

/**
 * The cells that do not gate and were not a plain observation: deviations, errors, flaky, inconclusive and skipped
 * cells, each with its reason; then the cells a stop did not reach, and those a merge's missing shard held, one line
 * per model (they share the stop's reason, or the shard).
 */
function uncertainSection(matrix: Matrix, lines: string[]): void {
  const deviations = matrix.results.filter(doesNotGate(matrix));
  // Cells a stop did not reach, and those a merge's missing shard held: asked for, never run, said per model.
  const notReached = new Map<string, MatrixResult[]>();
  for (const r of matrix.results.filter((x) => wasNotReached(x) || wasInMissingShard(x))) {
    const k = `${pairKey(r.target, r.model)}\u0000${wasNotReached(r)}`;
    notReached.set(k, [...(notReached.get(k) ?? []), r]);
  }
  if (deviations.length === 0 && notReached.size === 0) return;
  lines.push(`## ${UNCERTAIN_TITLE}`, '');
  for (const r of deviations.slice(0, 500)) lines.push(item(r));
  if (deviations.length > 500) lines.push(`- ... and ${deviations.length - 500} more (see matrix.json)`);
  for (const cells of [...notReached.values()].slice(0, 100)) {
    const [r] = cells as [MatrixResult];
    const [what, why] = wasNotReached(r) ? ['not reached', r.reason.replace(/^not reached:\s*/, '')] : ['not run', r.reason.replace(/^not run:\s*/, '')];
    lines.push(`- ${STATUS_SYMBOLS.skipped} ${markdownCode(r.model)} (${markdownText(r.target, 80)}): ${cells.length} cell(s) ${what}: ${markdownText(why, 600)}`);
  }
  if (notReached.size > 100) lines.push(`- ... and ${notReached.size - 100} more models with cells not reached or not run (see matrix.json)`);
  lines.push('');
}

/** With both surfaces of a site in the run: what changes for an app that moves from Mantle to bedrock-runtime. */
function migrationSection(matrix: Matrix, lines: string[]): void {
  const view = buildMigration(matrix);
  if (view.pairs.length === 0) return;
  lines.push('## Migration: Mantle to bedrock-runtime', '', 'Per model, the cells whose observations differ between the two surfaces of one site (`mantle-conformance compare --by surface matrix.json` prints this alone; `--json` for tooling).', '');
  lines.push(migrationMarkdown(view, 3));
}

/** Requests and tokens, said as what they are: in replay nothing was sent. */
export function usageLine(matrix: Matrix): string {
  const { requests, inputTokens, outputTokens } = matrix.totals.usage;
  const tokens = `tokens ${inputTokens} in / ${outputTokens} out`;
  return matrix.targets.every((t) => t.mode === 'replay') ? `Replayed ${requests} recorded exchanges (nothing was sent; recorded ${tokens})` : `Requests ${requests}, ${tokens}`;
}

/**
 * `6606 pass, 0 fail, ...`: the cells by status. What the cells of a model the gate found nothing of observed read
 * (readOfUnobservedModels) is counted apart, as the coverage line counts it, never as that model's passes:
 * `..., and 8 cell(s) of model(s) with nothing observed`.
 */
export function statusLine(matrix: Pick<Matrix, 'results' | 'models' | 'totals'>): string {
  const apart = readOfUnobservedModels(matrix);
  const byStatus = apart.size === 0 ? matrix.totals.byStatus : countStatuses(matrix.results.filter((r) => !apart.has(r)));
  // A cell the run did not run is `skipped` in the file; said as the coverage line says it, not as a skip of this run.
  const counted = matrix.results.filter((r) => r.notRun && r.status === 'skipped' && !apart.has(r));
  const counts = { ...byStatus, skipped: (byStatus.skipped ?? 0) - counted.length };
  const line = [...(Object.keys(STATUS_SYMBOLS) as CheckStatus[]).map((s) => `${counts[s] ?? 0} ${s}`), ...notRunWords(notRunCounts(counted))].join(', ');
  return apart.size === 0 ? line : `${line}, and ${apart.size} cell(s) of model(s) with nothing observed`;
}
