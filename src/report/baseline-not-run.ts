/**
 * @module report/baseline-not-run
 * The cells a baseline holds as not run: a merge of runs that selected other `--models` or `--checks` per target
 * (`not run: not selected on target T ...`), a lone shard's other shards' pairs, a merge's missing shard, a stop. The
 * baseline observed none of them, so the newer run's cell of one is not compared: never a new failure (`absent ->
 * error`) nor a fix. A merge's `run.selection` is what its inputs selected together, so it cannot tell which target ran
 * which model: the cell itself says so. compare also says when the baseline is a lone shard or did not finish, and
 * names the baseline's own reasons for the cells it left out (stderr, as the notes on the newer run).
 */
import { inertLine } from './inert-text.ts';
import { pairKey, resultKey, type Matrix, type MatrixResult } from './matrix.ts';
import { wasElsewhere, wasInMissingShard } from './not-run.ts';
import { hostChangeNotes } from './target-identity.ts';

/** The baseline's notRun cells, and which cells of the newer run they left uncompared (`take`), listed as compare lists ids not compared. */
export interface BaselineNotRun {
  /** Whether the baseline holds `now`'s cell as not run (then `now` is recorded as not compared). */
  take(now: MatrixResult): boolean;
  /** `target/model` when the baseline ran no cell of the pair, else `target/check`; `byShard` when a shard (or a missing one) held them. */
  listed(): { models: string[]; checks: string[]; byShard: boolean };
}

export function baselineNotRun(before: Pick<Matrix, 'results'>): BaselineNotRun {
  const notRun = new Map(before.results.filter((r) => r.notRun).map((r) => [resultKey(r), r]));
  const ran = new Set(before.results.filter((r) => !r.notRun).map((r) => pairKey(r.target, r.model)));
  const out = { models: new Set<string>(), checks: new Set<string>(), byShard: false };
  return {
    take(now) {
      const was = notRun.get(resultKey(now));
      if (!was) return false;
      if (ran.has(pairKey(now.target, now.model))) out.checks.add(`${now.target}/${now.check}`);
      else out.models.add(`${now.target}/${now.model}`);
      if (wasElsewhere(was) || wasInMissingShard(was)) out.byShard = true;
      return true;
    },
    listed: () => ({ models: [...out.models], checks: [...out.checks], byShard: out.byShard }),
  };
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
