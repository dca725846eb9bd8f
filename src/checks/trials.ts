/**
 * @module checks/trials
 * One verdict from repeated trials (`--repeat N`). Trials that observed a value decide the cell: all the same value
 * gives that value's verdict; different values give `flaky`, with the most frequent value as `observed` and the
 * spread in the reason (`conformant 2/3, no-call 1/3`). Trials that observed nothing (inconclusive, error,
 * unsupported, skipped) never outvote an observation, and the reason says how many there were and why. A pass that
 * rests on fewer trials than asked because a stop or a spend cap left some unsent is none (README "Runs cut short"):
 * the trial not sent may be the one that deviates, so the cell is `skipped`; an observed failure or spread stands.
 */
import { describeExpected, sameValue } from '../suite/expected.ts';
import type { CheckDefinition, CheckResult, CheckStatus, Observed, TrialResult } from './types.ts';

const OBSERVED: ReadonlySet<CheckStatus> = new Set(['pass', 'fail']);
/** When no trial observed anything, which status speaks for them (a broken endpoint first). */
const UNOBSERVED_ORDER: readonly CheckStatus[] = ['error', 'inconclusive', 'unsupported', 'skipped'];

export function toTrial(result: CheckResult): TrialResult {
  const status = result.status === 'flaky' ? 'fail' : result.status;
  return { status, observed: result.observed, reason: result.reason, evidence: result.evidence };
}

const show = (value: Observed) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Combines the results of the trials of one check (in trial order) into the cell's result. `notRun[i]` says that
 * trial i was not run (a stop or a spend cap left a case of it unsent); a reader of matrix.json that recombines the
 * trials passes none (a cell made `skipped` so keeps no trials to recombine).
 */
export function combineTrials(results: readonly CheckResult[], notRun: readonly boolean[] = []): CheckResult {
  const combined = combineRun(results);
  const cut = results.filter((_, i) => notRun[i]);
  if (combined.status !== 'pass' || cut.length === 0) return combined;
  const ran = results.length - cut.length;
  const reason = `not judged: ${cut.length}/${results.length} trials were not run (${cut[0]!.reason}); a pass on the ${ran} trial(s) that ran would rest on part of the trials asked (one not run may be the one that deviates)`;
  return { status: 'skipped', observed: null, expected: combined.expected, reason, evidence: [] };
}

function combineRun(results: readonly CheckResult[]): CheckResult {
  const first = results[0];
  if (!first) throw new Error('combineTrials needs at least one trial');
  if (results.length === 1) return first;
  const trials = results.map(toTrial);
  const evidence = results.flatMap((r) => r.evidence);
  const n = results.length;
  const observations = results.filter((r) => OBSERVED.has(r.status));
  const others = results.filter((r) => !OBSERVED.has(r.status));
  const othersNote = others.length ? `; ${describeOthers(others, n)}` : '';
  if (observations.length === 0) {
    const status = UNOBSERVED_ORDER.find((s) => results.some((r) => r.status === s)) ?? first.status;
    const speaker = results.find((r) => r.status === status) ?? first;
    return { ...speaker, reason: `${speaker.reason} (${describeOthers(results, n, speaker.reason)})`, evidence, trials };
  }
  const counts = countValues(observations.map((r) => r.observed));
  if (counts.length === 1) {
    const speaker = observations[0]!;
    const agreement = `${n - others.length}/${n} trials observed ${show(speaker.observed)}`;
    return { ...speaker, reason: `${speaker.reason} (${agreement}${othersNote})`, evidence, trials };
  }
  const [top] = counts;
  const spread = counts.map((c) => `${show(c.value)} ${c.count}/${n}`).join(', ');
  const expected = first.expected;
  const against = expected === null ? 'no expectation stated' : `expected ${describeExpected(expected)}`;
  return { status: 'flaky', observed: top!.value, expected, reason: `trials disagree: ${spread}${othersNote} (${against})`, evidence, trials };
}

/** Distinct values with their counts, most frequent first (ties keep the order first seen). */
function countValues(values: readonly Observed[]): { value: Observed; count: number }[] {
  const counts: { value: Observed; count: number }[] = [];
  for (const value of values) {
    const seen = counts.find((c) => sameValue(c.value, value));
    if (seen) seen.count += 1;
    else counts.push({ value, count: 1 });
  }
  return counts.sort((a, b) => b.count - a.count);
}

/** `2/3 trials inconclusive: <reason>`; the reason is left out where the cell's reason already says it. */
function describeOthers(others: readonly CheckResult[], n: number, said?: string): string {
  const byStatus = new Map<CheckStatus, CheckResult[]>();
  for (const r of others) byStatus.set(r.status, [...(byStatus.get(r.status) ?? []), r]);
  return [...byStatus.entries()].map(([status, rs]) => `${rs.length}/${n} trials ${status}${rs[0]!.reason === said ? '' : `: ${rs[0]!.reason}`}`).join('; ');
}

/** Whether a check is judged on every trial: it reads what the model chose, or what the endpoint grants per request. */
export function judgedPerTrial(check: Pick<CheckDefinition, 'dependsOnModel' | 'variesPerRequest'> | undefined): boolean {
  return check?.dependsOnModel === true || check?.variesPerRequest === true;
}
