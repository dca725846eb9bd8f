/**
 * @module report/baseline-not-run
 * The cells a baseline holds as not run: a merge of runs that selected other `--models` or `--checks` per target
 * (`not run: not selected on target T ...`), a lone shard's other shards' pairs, a merge's missing shard, a stop. The
 * baseline observed none of them, so the newer run's cell of one is not compared: never a new failure (`absent ->
 * error`) nor a fix. A merge's `run.selection` is what its inputs selected together, so it cannot tell which target ran
 * which model: the cell itself says so. compare also says when the baseline is a lone shard or did not finish, and
 * names the baseline's own reasons for the cells it left out (stderr, as the notes on the newer run).
 * Two kinds, told apart by the cell as the harness writes it (not-run.ts): one the baseline was not asked for (another
 * shard's, a filter, a merged region's selection) is quietly not compared; one it was asked for and did not reach (a
 * stop: Ctrl-C, SIGTERM, a CI timeout; a merge's missing shard) is `baselineUnreached`: "no new failure" was not
 * observed there, so the gate fails on it (`baseline-unfinished`) and compare exits 1, as for a newer run that stopped.
 */
import { inertLine } from './inert-text.ts';
import { pairKey, resultKey, type GateProblem, type Matrix, type MatrixComparison, type MatrixResult } from './matrix.ts';
import { notAskedHere, wasElsewhere } from './not-run.ts';
import { hostChangeNotes } from './target-identity.ts';

/** The baseline's notRun cells, and which cells of the newer run they left uncompared (`take`), listed as compare lists ids not compared. */
export interface BaselineNotRun {
  /** Whether the baseline holds `now`'s cell as not run (then `now` is recorded as not compared). */
  take(now: MatrixResult): boolean;
  /** Those the baseline was not asked for: `target/model` when it ran no cell of the pair, else `target/check`; `byShard` when another shard held them. */
  listed(): { models: string[]; checks: string[]; byShard: boolean };
  /** Those the baseline was asked for and did not reach (a stop, a missing shard), listed alike, or undefined. */
  unreached(): BaselineUnreached | undefined;
}

/** The field a comparison lists them in (absent when the baseline reached every cell the newer run has). */
export interface UnreachedByBaseline {
  baselineUnreached?: BaselineUnreached;
}

/** `comparison.baselineUnreached`: the newer run's cells the baseline did not reach, and why it did not finish. */
export interface BaselineUnreached {
  models: string[];
  checks: string[];
  cells: number;
  /** The baseline's own words: `interrupted: interrupted (SIGTERM)`, `partial: shard 2/2 of run x is missing`. */
  why: string;
}

export function baselineNotRun(before: Pick<Matrix, 'results' | 'run'>): BaselineNotRun {
  const notRun = new Map(before.results.filter((r) => r.notRun).map((r) => [resultKey(r), r]));
  const ran = new Set(before.results.filter((r) => !r.notRun).map((r) => pairKey(r.target, r.model)));
  const out = { models: new Set<string>(), checks: new Set<string>(), byShard: false };
  const missed = { models: new Set<string>(), checks: new Set<string>(), cells: 0 };
  return {
    take(now) {
      const was = notRun.get(resultKey(now));
      if (!was) return false;
      // A stop's `not reached` and a merge's `in the missing shard` were asked for: not one a selection left out.
      const to = notAskedHere(was) ? out : missed;
      if (ran.has(pairKey(now.target, now.model))) to.checks.add(`${now.target}/${now.check}`);
      else to.models.add(`${now.target}/${now.model}`);
      if (to === missed) missed.cells += 1;
      else if (wasElsewhere(was)) out.byShard = true;
      return true;
    },
    listed: () => ({ models: [...out.models], checks: [...out.checks], byShard: out.byShard }),
    unreached: () => (missed.cells ? { models: [...missed.models], checks: [...missed.checks], cells: missed.cells, why: unfinishedWhy(before.run) } : undefined),
  };
}

/** Why a baseline did not finish, in its own words (its run fields; a merge's missing shard is its partial reason). */
function unfinishedWhy(run: Matrix['run']): string {
  const kind = run.interrupted ? 'interrupted' : run.partial ? 'partial' : 'stopped';
  return `${kind}: ${inertLine(run.partialReason ?? 'it did not finish', 600)}`;
}

/** The ids a line names; the rest counted (the comparison lists each). */
const IDS = 10;
const idsOf = (u: BaselineUnreached): string => {
  const ids = [...u.models, ...u.checks];
  return `${inertLine(ids.slice(0, IDS).join(', '), 1000)}${ids.length > IDS ? `, and ${ids.length - IDS} more` : ''}`;
};

/** How every report heads the list: the ids were selected by both runs, and the baseline stopped before them. */
export const unreachedLabel = (u: Pick<BaselineUnreached, 'why'>, not = 'Not'): string => `${not} compared, the baseline did not reach them (${inertLine(u.why, 600)})`;

/**
 * The gate's problem when the newer run's cells include ones the baseline did not reach, or none. A newer run that
 * stopped fails its own gate; a baseline that stopped fails this one: its "regressed: no" would cover cells it never
 * observed (a CI timeout, then a regression the next night reads as no news).
 */
export function baselineUnreachedProblems(matrix: Pick<Matrix, 'comparison'>): GateProblem[] {
  const u = matrix.comparison?.baselineUnreached;
  if (!u) return [];
  const run = inertLine(matrix.comparison!.baseline.runId, 200);
  return [{ kind: 'baseline-unfinished', message: `${UNFINISHED_GATE} (run ${run}: ${inertLine(u.why, 600)}): ${u.cells} cell(s) of this run were not compared (${idsOf(u)}), so a new failure among them could not be seen; compare with a baseline that finished (the last whole run), or drop --baseline` }];
}

/** How the gate line sums the problem up, and how its message begins. */
export const UNFINISHED_GATE = 'the baseline did not finish';

/** compare's line for them (the exit code is 1), or undefined. */
export function baselineUnreachedLine(comparison: Pick<MatrixComparison, 'baselineUnreached' | 'regressed'>): string | undefined {
  const u = comparison.baselineUnreached;
  if (!u) return undefined;
  return `${comparison.regressed ? 'also not known' : 'regressed: not known'}: the baseline did not reach ${u.cells} cell(s) of this run (${inertLine(u.why, 600)}), so they were not compared (exit 1): compare with a baseline that finished (the last whole run)`;
}

/** A merge's: each input's joined (cells added up, each baseline's words once), or undefined. */
export function mergedUnreached(all: readonly Pick<MatrixComparison, 'baselineUnreached'>[]): { baselineUnreached?: BaselineUnreached } {
  const each = all.flatMap((c) => (c.baselineUnreached ? [c.baselineUnreached] : []));
  if (each.length === 0) return {};
  const join = (k: 'models' | 'checks') => [...new Set(each.flatMap((u) => u[k]))];
  return { baselineUnreached: { models: join('models'), checks: join('checks'), cells: each.reduce((n, u) => n + u.cells, 0), why: [...new Set(each.map((u) => u.why))].join('; ') } };
}

/** Reasons named in the note; the rest are counted. */
const NAMED = 3;

/**
 * What the reader must be told of the baseline beside a comparison (stderr): a host change (target-identity.ts), a
 * baseline that is one shard or did not finish (a partial merge: a shard missing), and the baseline's own reasons for
 * the cells of this run it holds as not run (not compared). `run --baseline`, `report --baseline` and `compare` alike.
 */
export function baselineNotes(before: Pick<Matrix, 'run' | 'targets' | 'results'>, after: Pick<Matrix, 'targets' | 'results'>): string[] {
  const notes = hostChangeNotes(before.targets, after.targets);
  const id = inertLine(before.run.id, 200);
  const shard = before.run.selection.shard;
  if (shard) notes.push(`warning: the baseline, run ${id}, is shard ${inertLine(shard, 20)} only: the pairs of its other shards were not compared (give the merge of its shards as the baseline: mantle-conformance merge)`);
  else if (before.run.partial || before.run.interrupted) notes.push(`warning: the baseline, run ${id}, did not finish (${before.run.interrupted ? 'interrupted' : 'partial'}: ${inertLine(before.run.partialReason ?? 'stopped', 600)}): the cells it did not run were not compared`);
  const held = new Map(before.results.filter((r) => r.notRun).map((r) => [resultKey(r), r.reason]));
  const reasons = new Map<string, number>();
  for (const r of after.results) {
    const why = r.notRun ? undefined : held.get(resultKey(r));
    if (why !== undefined) reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  if (reasons.size === 0) return notes;
  const cells = [...reasons.values()].reduce((a, b) => a + b, 0);
  const named = [...reasons.keys()].slice(0, NAMED).map((why) => inertLine(why, 300));
  const more = reasons.size > NAMED ? `; and ${reasons.size - NAMED} more reason(s)` : '';
  notes.push(`note: ${cells} cell(s) of this run were not compared: the baseline, run ${id}, holds them as not run (${named.join('; ')}${more})`);
  return notes;
}
