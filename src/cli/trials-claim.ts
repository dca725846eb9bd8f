/**
 * @module cli/trials-claim
 * A repeated cell (`--repeat N`) is its trials: read back, the status and observed value a matrix.json states for a
 * cell with `trials` must be what the run's own aggregation (checks/trials.ts combineTrials) gives those trials, and
 * each trial's pass or fail what its observed value gives against the cell's expected one. Otherwise a gating flaky
 * cell relabelled `pass` (or an observed failure relabelled `unsupported`, `inconclusive` or `skipped`), or a trial
 * that saw a value the stated list does not allow relabelled `pass` (which takes the gate from a flaky cell), would
 * read green on what the run observed failing. A run never writes `trials` of fewer than two, nor a value beside a
 * trial that observed nothing: a list cut to its passing trial, or a failing trial relabelled `inconclusive` with its
 * value kept, is refused too. (Whether a cell has trials, and how many, is not checked: replay repeats a case as often
 * as it was recorded, and a check whose cases ran once, a probe's, has none.)
 */
import { combineTrials } from '../checks/trials.ts';
import type { TrialResult } from '../checks/types.ts';
import { inertLine } from '../report/inert-text.ts';
import type { MatrixResult } from '../report/matrix.ts';
import { describeExpected, meets, sameValue } from '../suite/expected.ts';

const shown = (value: unknown) => inertLine(JSON.stringify(value) ?? String(value), 120);

/** `pass "a", fail "none", pass "a"`: what the trials say, in trial order. */
const said = (trials: readonly TrialResult[]) => inertLine(trials.map((t) => `${t.status} ${shown(t.observed)}`).join(', '), 600);

/**
 * Why the cell `results[i]` says other than its trials, or undefined when it says what they give (or has none). The
 * trial rule is the cell's own (read-matrix.ts): a pass or fail is the comparison of observed with expected.
 */
export function trialsClaimProblem(r: MatrixResult, i: number): string | undefined {
  const trials = r.trials;
  if (trials === undefined) return undefined;
  // combineTrials keeps trials only for two or more: one trial is the cell itself, and a cut list hides the others.
  if (trials.length < 2) return `results[${i}].trials: ${trials.length} trial${trials.length === 1 ? '' : 's'}, but a run writes trials only for two or more (one trial is the cell itself, without trials)`;
  // A trial that observed nothing says null (every check does): a value beside it is a failure relabelled, which
  // would then no longer outvote the trials that passed.
  const unobserved = trials.findIndex((t) => t.status !== 'pass' && t.status !== 'fail' && t.observed !== null);
  if (unobserved >= 0) {
    const t = trials[unobserved]!;
    return `results[${i}].trials[${unobserved}].observed: ${shown(t.observed)} with status ${shown(t.status)}, but a trial that observed nothing says null (only a pass or fail observed a value)`;
  }
  if (r.expected !== null) {
    for (const [j, t] of trials.entries()) {
      if ((t.status === 'pass' || t.status === 'fail') && meets(r.expected, t.observed) !== (t.status === 'pass')) {
        return `results[${i}].trials[${j}].status: ${shown(t.status)}, but its observed ${shown(t.observed)} ${t.status === 'pass' ? 'does not meet' : 'meets'} the cell's expected ${inertLine(describeExpected(r.expected), 200)}`;
      }
    }
  }
  // The trials as the run had them before it combined them: each judged against the cell's expected value.
  const given = combineTrials(trials.map((t) => ({ ...t, expected: r.expected })));
  if (given.status === r.status && sameValue(given.observed, r.observed)) return undefined;
  const field = given.status === r.status ? 'observed' : 'status';
  return `results[${i}].${field}: the cell says ${shown(r.status)} with observed ${shown(r.observed)}, but its ${trials.length} trials (${said(trials)}) give ${shown(given.status)} with observed ${shown(given.observed)}: a repeated cell's verdict is what its trials saw`;
}
