/**
 * @module report/gate
 * Whether a run passes, from what it observed. Green means observed: besides the cells that fail their stated
 * expectation, the gate fails when the run was interrupted or is partial (a spend cap, an incomplete merge), when a
 * requested model has no observation at all (a typo'd id, no recording, every request failed), and when more cells
 * with no stated expectation errored than the run accepts (`--max-errors`): a run that observed little cannot pass
 * (a replay's missing or unusable recording is no such error: its cell gates on its own, recording-defects.ts);
 * and when a record run kept earlier recordings because the endpoint failed or the key's scope refused a model, or
 * kept a file at a case's path it cannot read as the fixture (HARNESS_RECORDING_KEPT); with a baseline, on a new failure, on a comparison that compared nothing, and on cells a baseline that stopped did not reach.
 */
import { inertLine, modelIdLine } from './inert-text.ts';
import type { GateProblem, Matrix, MatrixGate, MatrixResult } from './matrix.ts';
import { pairKey } from './matrix.ts';
import { notAskedHere, wasNotReached } from './not-run.ts';
import { unobservedModels } from './observed-models.ts';
import { unreadModelLists, unusableListedProblems } from './model-lists.ts';
import { nothingComparedProblems } from './nothing-compared.ts';
import { baselineUnreachedProblems } from './baseline-not-run.ts';
import { keptUnshownProblem } from './kept-unshown.ts';
import { replayedTargets } from './recording-defects.ts';

export { gateLine } from './gate-line.ts';

export { ELSEWHERE_REASON, notAskedHere, wasElsewhere, wasInMissingShard, wasNotReached } from './not-run.ts';
export { coverageLine, coverageOf, readOfUnobservedModels, type Coverage } from './coverage.ts';

/** Errors of cells with no stated expectation that a run accepts (`--max-errors`): a few timeouts, not a run that observed little. */
export const DEFAULT_MAX_ERRORS = 5;

/** Whether the run was stopped from outside; older runs say so only in partialReason. */
export function wasInterrupted(run: Matrix['run']): boolean {
  return run.interrupted === true || (run.partial && /^interrupted\b/i.test(run.partialReason ?? ''));
}

/** The --max-errors a matrix's gate was built with (older files say `maxErrors`). */
export function maxErrorsOf(matrix: Pick<Matrix, 'gate'>): number {
  const gate = matrix.gate as Partial<MatrixGate> & { maxErrors?: number };
  return gate?.errors?.max ?? gate?.maxErrors ?? DEFAULT_MAX_ERRORS;
}

export function gateOf(matrix: Matrix): MatrixGate {
  const gating = matrix.results.filter((r) => r.gating).map((r) => ({ target: r.target, model: r.model, check: r.check, status: r.status, reason: r.reason }));
  const regressed = matrix.comparison?.regressed;
  const max = maxErrorsOf(matrix);
  const problems: GateProblem[] = [];
  const interrupted = wasInterrupted(matrix.run);
  if (interrupted) {
    // The run's reason already says `interrupted (Ctrl-C)`: not said twice.
    const reason = matrix.run.partialReason ?? 'stopped';
    problems.push({ kind: 'interrupted', message: `${/^interrupted\b/i.test(reason) ? reason : `interrupted (${reason})`}: cells not reached are skipped; the run proves nothing` });
  } else if (matrix.run.partial) {
    problems.push({ kind: 'partial', message: `partial run: ${matrix.run.partialReason ?? 'it did not finish'}` });
  } else {
    // Only a stop writes "not reached" (run-matrix.ts): a file that says otherwise in run.partial was edited.
    const notReached = matrix.results.filter(wasNotReached).length;
    if (notReached) problems.push({ kind: 'partial', message: `partial run: ${notReached} cell(s) say "not reached" (the run stopped before them), though run.partial says the run finished` });
  }
  problems.push(...nothingRan(matrix));
  // A model list read in part (`--models listed`): the models on the part not read were never asked.
  for (const { target, missing } of unreadModelLists(matrix.targets)) {
    problems.push({ kind: 'partial', message: `partial run: the model list of target ${target} was not read whole (${missing}); its models on the part not read did not run` });
  }
  // Listed ids no cell tested, as they are not model ids the harness can use (those past a cap are the partial above).
  problems.push(...unusableListedProblems(matrix.targets));
  const unobserved = unobservedModels(matrix);
  problems.push(...unobserved.problems);
  const errored = matrix.results.filter((r) => r.status === 'error' && !r.gating && !unobserved.cells.has(r));
  const unexpected = errored.length;
  if (unexpected > max) {
    problems.push({
      kind: 'too-many-errors',
      message: `${unexpected} errors in cells with no stated expectation (at most ${max} accepted, --max-errors): ${errorsByModel(errored)}; a run that observed this little cannot pass`,
    });
  }
  // A spent gateway budget is no trouble of a moment, which --max-errors allows for: what it refused was not observed,
  // and will not be until the budget is raised or reset (run/budget-refusals.ts).
  const spentCells = matrix.results.filter((r) => r.status === 'error' && !r.reason.startsWith('HARNESS_RECORDING_KEPT') && r.reason.includes(BUDGET_CODE));
  if (spentCells.length) {
    // A replay repeats the refusal its recording holds: only a record run once the budget allows observes the cells.
    const replayed = replayedTargets(matrix.targets);
    const fix = spentCells.every((r) => replayed.has(r.target)) ? 'the recordings hold the refusal: record them again (--mode record) once the budget allows' : 'raise it or wait for its reset, or use another key, and run again';
    problems.push({ kind: 'budget-exceeded', message: `${spentCells.length} cell(s) not observed because a spend budget on the gateway was spent (${BUDGET_CODE}): ${fix}` });
  }
  // A record run that kept earlier fixtures because the endpoint failed did not record what it was asked to. Nor one
  // whose key's scope refused a model, nor one a spent gateway budget refused (record-target.ts): no outage, and not
  // the endpoint's, so worded apart.
  const keptCells = matrix.results.filter((r) => r.status === 'error' && r.reason.startsWith('HARNESS_RECORDING_KEPT'));
  const scoped = keptCells.filter((r) => r.reason.startsWith(SCOPE_KEPT)).length;
  const budgeted = keptCells.filter((r) => r.reason.startsWith(BUDGET_KEPT)).length;
  const newer = keptCells.filter((r) => r.reason.startsWith(NEWER_KEPT)).length;
  const misrouted = keptCells.filter((r) => OTHER_MODEL_KEPT.test(r.reason)).length;
  // Found anywhere in the reason: a check of several APIs says each API's outcome first (`chat-completions: error: ...`).
  const unreadable = matrix.results.filter((r) => r.status === 'error' && r.reason.includes(UNREADABLE_KEPT)).length;
  const kept = keptCells.filter((r) => !r.reason.includes(UNREADABLE_KEPT)).length - scoped - budgeted - newer - misrouted;
  if (kept) {
    problems.push({ kind: 'recording-kept', message: `${kept} result(s) rest on previous recordings, kept because the endpoint failed during this record run (--overwrite-failures records the outage)` });
  }
  if (scoped) {
    problems.push({
      kind: 'recording-kept',
      message: `${scoped} error cell(s) (HARNESS_RECORDING_KEPT) kept their cases' previous recordings because the key's scope refused the model in this record run (HARNESS_MODEL_SCOPE), which is no outage nor the endpoint's answer: record them with a key whose scope includes the model (--overwrite-failures records the refusal)`,
    });
  }
  if (newer) {
    problems.push({ kind: 'recording-kept', message: `${newer} error cell(s) (HARNESS_RECORDING_KEPT) kept recordings this version cannot read (a newer mantle-conformance's, or edited by hand) nor replaces unasked: upgrade mantle-conformance, or pass --overwrite-failures to replace them with this version's recordings` });
  }
  if (unreadable) {
    problems.push({ kind: 'recording-kept', message: `${unreadable} error cell(s) (HARNESS_RECORDING_KEPT) not recorded: a file at their case's path is not a fixture this version can read (damaged, or someone's; each named in its cell), kept: move each away and record again, or pass --overwrite-failures to replace them with this version's recordings` });
  }
  if (misrouted) {
    problems.push({
      kind: 'recording-kept',
      message: `${misrouted} error cell(s) (HARNESS_RECORDING_KEPT) kept their cases' previous recordings because another model of the catalog answered in the model's place in this record run (a gateway's fallback or a rewritten model id): what it answered is not the model's; record them once the endpoint answers the model itself (--overwrite-failures records the other model's answers)`,
    });
  }
  if (budgeted) {
    problems.push({
      kind: 'recording-kept',
      message: `${budgeted} error cell(s) (HARNESS_RECORDING_KEPT) kept their cases' previous recordings because a spend budget on the gateway was spent in this record run (HARNESS_BUDGET_EXCEEDED), which is no answer of the endpoint's: record them once the budget is raised or reset, or with another key (--overwrite-failures records the refusal)`,
    });
  }
  // From the run itself: a case kept unrecorded that no cell above counted (a check reading every case passed on the others).
  const keptUnshown = keptUnshownProblem(matrix);
  if (keptUnshown) problems.push(keptUnshown);
  problems.push(...nothingComparedProblems(matrix), ...baselineUnreachedProblems(matrix));
  const failed = gating.length > 0 || problems.length > 0 || regressed === true;
  return {
    exitCode: interrupted ? 130 : failed ? 1 : 0,
    verdict: interrupted ? 'interrupted' : failed ? 'fail' : 'pass',
    gating,
    problems,
    errors: { unexpected, max },
    ...(regressed !== undefined ? { regressedSinceBaseline: regressed } : {}),
  };
}

/** The reason of a cell whose case kept its recording because the key's scope refused the model (record-target.ts). */
const SCOPE_KEPT = 'HARNESS_RECORDING_KEPT: HARNESS_MODEL_SCOPE';
/** The code of a request a spent gateway budget refused (run/budget-refusals.ts). */
const BUDGET_CODE = 'HARNESS_BUDGET_EXCEEDED';
/** The reason of a cell whose case kept a recording a newer version wrote (record-target.ts). */
const NEWER_KEPT = 'HARNESS_RECORDING_KEPT: this version cannot read ';
/** The reason of a cell whose case kept its recording because another catalog model answered (other-model-answers-kept.ts), after the note of the answers' names (checks/answered-by.ts withAnsweredBy). */
const OTHER_MODEL_KEPT = /^HARNESS_RECORDING_KEPT: (?:\d+ of \d+ answer\(s\) named another model than their request asked for \(.*?\); )?another model answered: /;
/** The reason of a cell whose case kept a file at its path this version cannot read as its fixture (transport/foreign-file.ts). */
const UNREADABLE_KEPT = 'HARNESS_RECORDING_KEPT: not a fixture this version can read: ';
/** The reason of a cell whose case kept its recording because a spent gateway budget refused it. */
const BUDGET_KEPT = 'HARNESS_RECORDING_KEPT: HARNESS_BUDGET_EXCEEDED';

/** How many models (with their targets) the too-many-errors line names; the rest are counted. */
const ERROR_MODELS_NAMED = 3;

/**
 * `BAAI/bge-m3 (ollama) 5, nomic-embed-text:latest (ollama) 5, and 2 more model(s)`: whose cells the errors are, most
 * first, so a reader sees which models to look at without the matrix. Ids and target names are endpoint and config
 * text: made inert and cut short here, so the line stays one line that still says the cause after them.
 */
function errorsByModel(errored: readonly MatrixResult[]): string {
  const counts = new Map<string, { target: string; model: string; n: number }>();
  for (const r of errored) {
    const key = pairKey(r.target, r.model);
    const entry = counts.get(key) ?? { target: r.target, model: r.model, n: 0 };
    entry.n += 1;
    counts.set(key, entry);
  }
  // Ties in code-unit order, not the locale's: every machine writes the same line.
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const ranked = [...counts.values()].sort((a, b) => b.n - a.n || order(a.model, b.model) || order(a.target, b.target));
  const named = ranked.slice(0, ERROR_MODELS_NAMED).map((e) => `${modelIdLine(e.model)} (${inertLine(e.target, 30)}) ${e.n}`);
  const more = ranked.length - named.length;
  return `${named.join(', ')}${more > 0 ? `, and ${more} more model(s)` : ''}`;
}

/**
 * A run, or a target of it, with no cell that ran observed nothing, whatever else it says: a model list that named
 * no model, a matrix.json cut down by hand. A shard may run no cell (another shard runs them all); a target whose
 * cells were all filtered out still has its cells, as not run.
 */
function nothingRan(matrix: Matrix): GateProblem[] {
  const problems: GateProblem[] = [];
  for (const { id } of matrix.targets) {
    if (!matrix.results.some((r) => r.target === id)) problems.push({ kind: 'partial', target: id, message: `target ${id} ran nothing: it has no cell (its model list named no model, or the file lost them); name the models with --models` });
  }
  const ran = matrix.results.some((r) => !r.notRun);
  if (!ran && (matrix.results.length === 0 || !matrix.run.selection?.shard)) {
    problems.push({ kind: 'partial', message: `nothing ran: 0 of ${matrix.results.length} cells ran; a run that observed nothing cannot pass` });
  }
  return problems;
}

/** How reports mark a model row (or a cell) of a model the gate found nothing of observed. */
export const UNOBSERVED_LABEL = 'nothing observed, see the gate';

/** The statuses a person should look at: they fail, error, vary, hide the behaviour, or were not sent (skipped). */
export const LOOK_AT: readonly MatrixResult['status'][] = ['fail', 'error', 'flaky', 'inconclusive', 'skipped'];

/** Counts of one key's cells to look at. */
export interface LookAtCounts {
  gating: number;
  fail: number;
  error: number;
  flaky: number;
  inconclusive: number;
  /**
   * Skipped by the run that had them (a step not sent, a spend cap) or not reached (a stop came first: the run's
   * totals say them apart, as `not reached`); not the cells a filter or another shard took.
   */
  skipped: number;
}

/**
 * The cells to look at, counted per key (a model, a check), only keys that have any; worst first: gating, then
 * fail + error, then flaky, then inconclusive, then skipped (ties keep the matrix's order).
 */
export function cellsToLookAt(results: readonly MatrixResult[], keyOf: (r: MatrixResult) => string): [string, LookAtCounts][] {
  const counts = new Map<string, LookAtCounts>();
  for (const r of results) {
    // A cell a stop kept from running, or a missing shard held, was this run's to observe (the HTML failures view keeps
    // it too); one a filter took was not.
    // An n/a cell that gates (a stated value not observed) is counted as gating only: it has no column of its own.
    if (!(LOOK_AT.includes(r.status) || r.gating) || notAskedHere(r)) continue;
    const c = counts.get(keyOf(r)) ?? { gating: 0, fail: 0, error: 0, flaky: 0, inconclusive: 0, skipped: 0 };
    if (LOOK_AT.includes(r.status)) c[r.status as keyof LookAtCounts] += 1;
    if (r.gating) c.gating += 1;
    counts.set(keyOf(r), c);
  }
  return [...counts.entries()].sort(([, a], [, b]) => b.gating - a.gating || b.fail + b.error - (a.fail + a.error) || b.flaky - a.flaky || b.inconclusive - a.inconclusive || b.skipped - a.skipped);
}

/**
 * How a partial reason names a target the run gave up on (`--give-up-after`): the checks it could not ask are
 * `error`, not skipped, and the reports say so where they say what a partial run left out.
 */
export const ENDPOINT_DOWN_PARTIAL = 'endpoint down: ';

/** Whether a run's partial reason includes a target given up on. */
export function gaveUpOnTarget(run: { partialReason?: string | undefined }): boolean {
  return run.partialReason?.includes(ENDPOINT_DOWN_PARTIAL) ?? false;
}
