/**
 * @module report/flaky-values
 * What a flaky cell's trials saw: the set of values its observing trials (pass or fail) read. A cell flaky every
 * night between the same two values reports the more frequent one as `observed`, so a majority that flips
 * (`flaky (message.reasoning) -> flaky (none)`) is no change of what the endpoint does: two flaky states whose trials
 * saw the same set of values are one behaviour. A trial that saw a new value is a change. Used by `history`
 * (cell-history.ts) and `compare` (compare.ts) alike.
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

/**
 * Whether two flaky cells' trials saw other sets of values (a new value seen is a change, a flipped majority is not);
 * undefined when one is not flaky or a set is not known (an older file): the observed values then decide.
 */
export function flakyValuesChanged(was: { status: string; values?: string | undefined }, now: { status: string; values?: string | undefined }): boolean | undefined {
  if (was.status !== 'flaky' || now.status !== 'flaky' || was.values === undefined || now.values === undefined) return undefined;
  return was.values !== now.values;
}

/** flakyValuesChanged of two matrix results (their trials as kept in matrix.json): `compare`'s "changed observed values". */
export const flakyTrialsChanged = (was: { status: string; trials?: readonly Trial[] | undefined }, now: { status: string; trials?: readonly Trial[] | undefined }): boolean | undefined =>
  flakyValuesChanged({ status: was.status, values: trialValues(was.trials) }, { status: now.status, values: trialValues(now.trials) });
