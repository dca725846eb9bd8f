/**
 * @module report/judged-differently
 * A cell whose verdict changed since the baseline while what the endpoint answered did not: the same observed value
 * (and the same trial values), judged against something else (the expectations file, the catalog, the suite files,
 * `--openapi` or `--repeat` differ, `run.judging`; or the cell's own `expected` differs), a flaky cell that starts or
 * stops gating on the same trial values included. An edit of the expectations
 * is no regression of the endpoint, nor is loosening one a fix: such a cell is listed apart, "judged differently",
 * naming what changed, never as a new failure or a fix, so `regressed` does not blame the endpoint. A cell that now
 * fails the gate still fails it as a gating cell of this run (gate.ts reads the results, not the comparison).
 */
import { inertLine } from './inert-text.ts';
import { flakyTrialsChanged } from './flaky-values.ts';
import type { CellChange, Matrix, MatrixResult } from './matrix.ts';

/** What a comparison lists apart for a change in what the runs were judged against. */
export interface JudgedApart {
  /** Cells whose verdict changed on the same observed value because what they were judged against changed. */
  judgedDifferently?: CellChange[];
  /** What the two runs were judged against that differs (`run.judging` fields: expectations, catalog, ...). */
  judgingChanged?: string[];
}

/** The words a `run.judging` field is said in. */
const NAMES: Record<string, string> = { expectations: 'the expectations file', catalog: 'the catalog', suites: 'the suite files', openapi: 'the --openapi document', repeat: 'the trials per case (--repeat)' };

/** The `run.judging` fields that differ between the runs (both recording them); none when either does not say. */
export function judgingChanges(before: Pick<Matrix, 'run'>, after: Pick<Matrix, 'run'>): string[] {
  const a = before.run.judging;
  const b = after.run.judging;
  if (!a || !b) return [];
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return fields.filter((f) => Object.hasOwn(a, f) && Object.hasOwn(b, f) && JSON.stringify((a as Record<string, unknown>)[f]) !== JSON.stringify((b as Record<string, unknown>)[f]));
}

/**
 * Verdicts on an observation: the cells whose value the endpoint gave and a rule judged. A flaky cell's verdict is
 * whether it gates (its expectation states the variation or not), and so is a fail's (one with no expectation stated
 * is informational): `flaky, not gating -> flaky, gating` on the same trial values is an expectations edit too.
 */
const JUDGED = new Set<MatrixResult['status']>(['pass', 'fail', 'flaky']);
const verdict = (r: MatrixResult) => (r.status === 'pass' ? 'pass' : `${r.status}, ${r.gating ? 'gating' : 'not gating'}`);
const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
const trialValues = (r: MatrixResult) => (r.trials ?? []).map((t) => JSON.stringify(t.observed ?? null)).sort();
/** The endpoint observed the same: one value (and the same trials), or two flaky cells whose trials saw one set of values (a flipped majority is no change: flaky-values.ts). */
const observedSame = (was: MatrixResult, now: MatrixResult) =>
  was.status === 'flaky' && now.status === 'flaky' ? flakyTrialsChanged(was, now) === false : was.status !== 'flaky' && now.status !== 'flaky' && same(was.observed, now.observed) && same(trialValues(was), trialValues(now));

/**
 * Why a change between `was` and `now` is the judging's, not the endpoint's, or undefined: both verdicts on one
 * observed value (and the same trial values), the verdict changed, and what it was judged against differs.
 */
export function judgedDifferentlyWhy(was: MatrixResult | undefined, now: MatrixResult, changed: readonly string[]): string | undefined {
  if (!was || !JUDGED.has(was.status) || !JUDGED.has(now.status) || verdict(was) === verdict(now) || !observedSame(was, now)) return undefined;
  const expected = same(was.expected, now.expected) ? undefined : `expected ${inertLine(JSON.stringify(was.expected ?? null), 120)} -> ${inertLine(JSON.stringify(now.expected ?? null), 120)}`;
  if (!expected && changed.length === 0) return undefined;
  const what = changed.map((f) => NAMES[f] ?? f).join(', ');
  // Same status, other verdict: only the gating changed, which "flaky -> flaky" would not show.
  const gating = was.status === now.status ? `${verdict(was)} -> ${verdict(now)}` : '';
  return `the endpoint observed the same; judged differently (${[gating, expected, what ? `${what} changed since the baseline` : ''].filter(Boolean).join('; ')})`;
}

/** The kind a change is listed under: the judging's own list when it is the judging's (a change of gating alone included), else what compare chose. */
export function judgedKind<K extends string>(kind: K | undefined, was: MatrixResult | undefined, now: MatrixResult, changed: readonly string[]): K | 'judgedDifferently' | undefined {
  return judgedDifferentlyWhy(was, now, changed) ? 'judgedDifferently' : kind;
}

/** The inputs' cells judged differently and what they were judged against, joined (a merge of shards or regions). */
export function joinJudged(all: readonly JudgedApart[]): JudgedApart {
  const cells = all.flatMap((c) => c.judgedDifferently ?? []);
  const changed = [...new Set(all.flatMap((c) => c.judgingChanged ?? []))].sort();
  return { ...(cells.length || all.some((c) => c.judgedDifferently) ? { judgedDifferently: cells } : {}), ...(changed.length ? { judgingChanged: changed } : {}) };
}

/** A line for the reader of a comparison when the runs were judged against other files, or none. */
export function judgingLines(comparison: JudgedApart): string[] {
  const changed = comparison.judgingChanged ?? [];
  if (changed.length === 0) return [];
  const cells = comparison.judgedDifferently?.length ?? 0;
  return [`judged against other files than the baseline: ${changed.map((f) => NAMES[f] ?? f).join(', ')} changed; ${cells} cell(s) whose verdict changed on the same observed value are listed as judged differently, not as new failures or fixes`];
}
