/**
 * @module report/new-failures
 * The new failures since a baseline as the gate reads them, in the words every report gives them. They fail the gate
 * as a whole (`regressedSinceBaseline`), not one by one: a catalog model's cell with no stated expectation does not
 * gate alone, yet a pass that now fails is what a baseline exists to catch. So each report names them beside the
 * run-level problems (junit.xml's `gate` testsuite included, or the CI test tab reads green on exit 1), and a reason
 * that says the cell "does not gate" is worded for what it is here.
 */
import { NOT_GATING_WORDS } from '../checks/judge.ts';
import { inertLine, modelIdLine } from './inert-text.ts';
import { resultKey, type CellChange, type Matrix } from './matrix.ts';

/** The `kind` the gate testsuite of junit.xml gives the new failures, as it gives each run-level problem its own. */
export const NEW_FAILURES_KIND = 'new-failures-since-baseline';

/** Cells named in the one line: the rest are counted (every one is in the comparison). */
const NAMED = 10;

/** A cell as a comparison shows it: `fail "rejected"`, or `absent` for none. */
export const shownCell = (cell: { status: string; observed: unknown } | null | undefined): string => (cell ? `${cell.status}${cell.observed === null ? '' : ` ${JSON.stringify(cell.observed)}`}` : 'absent');

/** The cells that fail the gate as new failures since the baseline; none when the gate does not say it regressed. */
export function newFailuresOf(matrix: Pick<Matrix, 'gate' | 'comparison'>): CellChange[] {
  return matrix.gate.regressedSinceBaseline ? (matrix.comparison?.newFailures ?? []) : [];
}

/** The `resultKey`s of those cells. */
export function newFailureKeys(matrix: Pick<Matrix, 'gate' | 'comparison'>): Set<string> {
  return new Set(newFailuresOf(matrix).map(resultKey));
}

/**
 * `2 new failure(s) since the baseline (run R): m c (t): pass "a" -> fail "b"; ...`, the first few named, each
 * as an inert line of bounded length (ids and values are run data); undefined when the gate did not regress.
 */
export function newFailuresLine(matrix: Pick<Matrix, 'gate' | 'comparison'>): string | undefined {
  if (!matrix.gate.regressedSinceBaseline) return undefined;
  const cells = newFailuresOf(matrix);
  const named = cells.slice(0, NAMED).map((c) => `${modelIdLine(c.model)} ${inertLine(`${c.check} (${c.target}): ${shownCell(c.before)} -> ${shownCell(c.after)}`, 300)}`);
  const more = cells.length > NAMED ? `; ... and ${cells.length - NAMED} more (the comparison lists each)` : '';
  const run = matrix.comparison ? ` (run ${inertLine(matrix.comparison.baseline.runId, 200)})` : '';
  // A pair the baseline observed and the run observed nothing of regressed too (lost-models.ts): named after them.
  const lost = matrix.comparison?.lostModels ?? [];
  const gone = lost.length ? `; nothing observed of ${lost.length} (target, model) pair(s) the baseline observed: ${inertLine(lost.slice(0, NAMED).join(', '), 600)}` : '';
  // Lost pairs alone are no new failure: said as what they are, never "0 new failure(s)" heading the line.
  if (cells.length === 0 && lost.length) return `regressed since the baseline${run}: ${gone.slice(2)}`;
  return `${cells.length || 'some'} new failure(s) since the baseline${run}${named.length ? `: ${named.join('; ')}` : ''}${more}${gone}`;
}

/**
 * A cell's reason as a new failure: a cell with no stated expectation says it "does not gate", which is true of it
 * alone; as a new failure since the baseline it gates, and the reason says both.
 */
export function asNewFailure(reason: string): string {
  return reason.replace(NOT_GATING_WORDS, `${NOT_GATING_WORDS.replace(/, so it does not gate$/, '')}, so it would not gate alone; as a new failure since the baseline it gates`);
}
