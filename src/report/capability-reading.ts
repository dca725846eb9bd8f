/**
 * @module report/capability-reading
 * What a capability column reads: one model's results in one run (`Lookup`), why a check it reads has none
 * (`NotRun`), and the readings every column shares (the observed value, statuses that measured nothing).
 */
import type { MatrixResult } from './matrix.ts';

export type CapabilityValue = 'yes' | 'no' | 'partial' | 'n/a' | 'unknown';

export type Lookup = (check: string) => MatrixResult | undefined;

/** Why a check has no result for the model: a stop came first, or the run did not select it (a filter, another shard, a merged region's). */
export type NotRun = (check: string) => 'not reached' | 'not run' | undefined;

export interface Capability {
  name: string;
  /** The checks the column reads. */
  checks: readonly string[];
  /** The cell for one target's results, before provenance; `notRun` names the checks it reads that the run planned and did not run. */
  judge(get: Lookup, notRun?: NotRun): { value: CapabilityValue; notes: string[] };
}

/** A column as written below: how it reads its checks, and which checks it reads (for the notes `told` adds). */
export interface Column extends Capability {
  /** An API's own shape checks: one not run leaves the API `partial` (its bodies were not read), not only named. */
  shape?: readonly string[];
}

export type Judged = ReturnType<Capability['judge']>;

/** Statuses that ran and observed nothing: the endpoint errored, the model's answer could not tell, a step was not sent. */
export const UNMEASURED: ReadonlySet<MatrixResult['status']> = new Set(['error', 'inconclusive', 'skipped']);

/** The observed value of a check, when it observed one (pass, fail or flaky: the most frequent, `told` says it varies). */
export const observed = (get: Lookup, check: string) => {
  const r = get(check);
  return r && (r.status === 'pass' || r.status === 'fail' || r.status === 'flaky') ? r.observed : undefined;
};

/** Nothing observed: `n/a` when every check needs an API the model does not serve, else not measured. */
export function notObserved(get: Lookup, checks: readonly string[]): Judged {
  const results = checks.map(get);
  return { value: results.length > 0 && results.every((r) => r?.status === 'unsupported') ? 'n/a' : 'unknown', notes: [] };
}
