/**
 * @module report/not-run
 * What a cell that did not run says of why, as its reason is all a matrix.json keeps of it: a stop kept the run from
 * it (`not reached`), its run did not select it (a filter, another shard), or a merge lacks the shard that held it
 * (missing-shard.ts words it). Reports count and show these apart: a cell a filter took is no finding of the run, a
 * cell the missing shard held was asked for and never run.
 */
import type { MatrixResult } from './matrix.ts';

type NotRunCell = Pick<MatrixResult, 'notRun' | 'reason'>;

/**
 * Whether a cell is one the run selected and a stop (Ctrl-C, a spend cap) kept it from: run-matrix.ts says so in its
 * reason. Not a cell a filter or another shard took.
 */
export function wasNotReached(r: NotRunCell): boolean {
  return r.notRun === true && r.reason.startsWith('not reached');
}

/** The reason a run gives the planned cells it did not select: a filter or another shard took them (run-matrix.ts). */
export const ELSEWHERE_REASON = 'not run: filtered out (a model filter or -t) or in another shard';

/** A merge's placing of a cell its run called another shard's: in the missing shard (known), or maybe (filters it cannot read). */
const PLACED = /^not run: (?:in (?:the|a) missing shard\b|filtered out by its run's filters, or in a missing shard\b)/;

/** In a missing shard, as far as the merge can tell: `not run: in the missing shard 2/3 of run x`, `not run: in a missing shard (...)`. */
const IN_MISSING = /^not run: in (?:the|a) missing shard\b/;

/**
 * Whether a cell is one its run did not select (filtered out, or another shard's), as the run said it, or as a merge
 * that lacks a shard placed it (the run's words, made precise).
 */
export function wasElsewhere(r: NotRunCell): boolean {
  return r.notRun === true && (r.reason === ELSEWHERE_REASON || PLACED.test(r.reason));
}

/** Whether a merge placed the cell in a shard it lacks: asked for, and never run (not a cell a filter took). */
export function wasInMissingShard(r: NotRunCell): boolean {
  return r.notRun === true && IN_MISSING.test(r.reason);
}

/**
 * Whether a cell did not run because this run or merge was not asked for it (a filter, another shard, a merged
 * region's selection): not one a stop kept it from, nor one a missing shard held. Reports leave such cells out of
 * what to look at; the others were asked for and never observed.
 */
export function notAskedHere(r: NotRunCell): boolean {
  return r.notRun === true && !wasNotReached(r) && !wasInMissingShard(r);
}
