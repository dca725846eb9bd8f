/**
 * @module report/flaky-values
 * What a flaky cell's trials saw: the set of values its observing trials (pass or fail) read. A cell flaky every
 * night between the same two values reports the more frequent one as `observed`, so a majority that flips
 * (`flaky (message.reasoning) -> flaky (none)`) is no change of what the endpoint does: two flaky states whose trials
 * saw the same set of values are one behaviour. A trial that saw a new value is a change. Used by `history`
 * (cell-history.ts, which also reads flakySaw for a night sandwiched between two flaky ones) and `compare` (compare.ts).
 */
import type { Observed } from '../checks/types.ts';

/** A trial as run files (`[status, observed]`) and matrices (`{ status, observed }`) keep it. */
type Trial = readonly [string, Observed] | { readonly status: string; readonly observed: Observed };

/**
 * The values the observing trials saw, as one canonical text (sorted JSON), or undefined when none is known (no
 * trials kept: an older file, or a cell that is not flaky). Errored, skipped or inconclusive trials saw nothing.
 */
export function trialValues(trials: readonly Trial[] | undefined): string | undefined {
  if (!trials?.length) return undefined;
  const values = new Set<string>();
  for (const trial of trials) {
    const [status, observed] = Array.isArray(trial) ? trial : [(trial as { status: string }).status, (trial as { observed: Observed }).observed];
    if (status === 'pass' || status === 'fail') values.add(JSON.stringify(observed));
  }
  return values.size ? JSON.stringify([...values].sort().map((v) => JSON.parse(v) as Observed)) : undefined;
}

/** A state as flakyValuesChanged reads it: a flaky one with its trial values (trialValues), when known. */
interface ValuedState { status: string; observed?: Observed; values?: string | undefined }

/**
 * Whether two flaky cells' trials saw other sets of values (a new value seen is a change, a flipped majority is not);
 * undefined otherwise (one is not flaky, or a set is not known: an older file): the status and observed value then
 * decide. A flaky state and a stable one are not one behaviour here: that `flaky {a, b} -> a` settled or is a chance
 * agreement is known only from what follows (cell-history.ts), and compare of two runs names it "became stable".
 */
export function flakyValuesChanged(was: ValuedState, now: ValuedState): boolean | undefined {
  if (was.status !== 'flaky' || now.status !== 'flaky' || was.values === undefined || now.values === undefined) return undefined;
  return was.values !== now.values;
}

/** Whether a flaky state's trials (its known value set) saw a pass or fail state's value. */
export function flakySaw(flaky: ValuedState, stable: ValuedState): boolean {
  if (flaky.status !== 'flaky' || flaky.values === undefined || (stable.status !== 'pass' && stable.status !== 'fail')) return false;
  const value = JSON.stringify(stable.observed ?? null);
  return (JSON.parse(flaky.values) as Observed[]).some((v) => JSON.stringify(v) === value);
}

/** flakyValuesChanged of two matrix results (their trials as kept in matrix.json): `compare`'s "changed observed values". */
export const flakyTrialsChanged = (was: { status: string; trials?: readonly Trial[] | undefined }, now: { status: string; trials?: readonly Trial[] | undefined }): boolean | undefined =>
  flakyValuesChanged({ status: was.status, values: trialValues(was.trials) }, { status: now.status, values: trialValues(now.trials) });

/** compare's line of a flaky cell that stayed flaky: both trial value sets (`flaky "x" -> flaky "x"` would say nothing changed when the majority did not); undefined otherwise. */
export function flakyTrialsShown(was: { status: string; observed: Observed; trials?: readonly Trial[] | undefined } | undefined, now: { status: string; observed: Observed; trials?: readonly Trial[] | undefined }): string | undefined {
  if (was?.status !== 'flaky' || now.status !== 'flaky') return undefined;
  const [a, b] = [trialValues(was.trials), trialValues(now.trials)];
  return a === undefined || b === undefined || a === b ? undefined : `flaky ${JSON.stringify(was.observed)} of trials ${a} -> flaky ${JSON.stringify(now.observed)} of trials ${b}`;
}
