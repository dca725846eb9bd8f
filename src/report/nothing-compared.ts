/**
 * @module report/nothing-compared
 * A comparison that compared no cell: no (target, model, check) of the newer run has a result in the baseline too
 * (compare.ts counts them: `compared`). Its "no new failure" was not observed, it is what a comparison of nothing
 * says; so `compare` exits 1, and the gate of `run --baseline`, `report --baseline`, of a report of such a saved run,
 * and of a merge (judged on the merged comparison: one shard that compared is enough) fails, saying why in words a
 * user can act on, and the fix. Deciding by target ids alone passed a baseline of another model, of other checks, or a
 * lone shard whose targets the baseline lacks: green on nothing compared.
 * The why, most specific first: every target set apart (another endpoint) or not in the baseline; the targets a lone
 * shard ran are; no model in common (`--models`); no check in common (`--checks`, or checks the baseline's build
 * defined otherwise); else no cell in common.
 */
import { inertLine } from './inert-text.ts';
import type { GateProblem, Matrix, MatrixComparison } from './matrix.ts';
import { describeTargetChanges, type TargetsApart } from './target-identity.ts';
import type { LostModels } from './lost-models.ts';
import type { UnreachedByBaseline } from './baseline-not-run.ts';

/** What a comparison says of its reach: the targets it left apart, the pairs it lost, the cells a baseline that stopped did not reach, and how many it compared. */
export type ComparisonReach = TargetsApart & LostModels & UnreachedByBaseline & {
  /** Cells of the newer run compared with the baseline's (a result in both runs). Absent in files older builds wrote. */
  compared?: number;
};

/** How the gate line sums the problem up, and how its message begins. */
export const NOTHING_COMPARED_GATE = 'nothing was compared with --baseline';

/** The newer run as the verdict reads it: its targets and, when known, its cells and selection (or its targets alone). */
export type ComparedRun = { targets: readonly { id: string }[] } & Partial<Pick<Matrix, 'results' | 'run'>>;
export const comparedRun = (run: ComparedRun | readonly { id: string }[]): ComparedRun => ('targets' in run ? run : { targets: run });

/** Ids a message names, each bounded; the rest are counted (every one is in the comparison). */
const NAMED = 3;
const named = (items: readonly string[], noun: string, sep = '; ') => `${items.slice(0, NAMED).join(sep)}${items.length > NAMED ? `${sep}and ${items.length - NAMED} more ${noun}` : ''}`;
/** Ids are run data (a matrix.json from elsewhere): made inert and bounded. */
const ids = (list: readonly string[], noun: string) => named(list.map((id) => inertLine(id, 80)), noun, ', ');

/** The targets a comparison set apart: another endpoint than the baseline's, or not in the baseline. */
export const apartOf = (comparison: Pick<MatrixComparison, 'changedTargets' | 'newTargets'>) => new Set([...(comparison.changedTargets ?? []).map((c) => c.target), ...comparison.newTargets]);

/**
 * Whether a comparison compared no cell. A file an older build wrote counts none: its rule then, every target of the
 * newer run set apart or not in the baseline.
 */
export function nothingCompared(comparison: MatrixComparison, run: ComparedRun): boolean {
  if (comparison.compared !== undefined) return comparison.compared === 0;
  const apart = apartOf(comparison);
  return run.targets.length > 0 && run.targets.every((t) => apart.has(t.id));
}

/** Why nothing was compared: `long` names the ids, `short` points to the lists beside it; `fix` for compare and --baseline alike. */
interface NothingComparedWhy {
  long: string;
  short: string;
  fix: string;
}

function nothingComparedWhy(comparison: MatrixComparison, run: ComparedRun): NothingComparedWhy {
  const apart = apartOf(comparison);
  const changed = new Map((comparison.changedTargets ?? []).map((c) => [c.target, c.changes]));
  const targetWhy = (id: string) => {
    const changes = changed.get(id);
    return `${inertLine(id, 60)}: ${changes ? `another endpoint, ${inertLine(describeTargetChanges(changes), 120)}` : 'not in the baseline'}`;
  };
  const sameTargets = 'give a baseline of the same targets (surface, region)';
  if (run.targets.length > 0 && run.targets.every((t) => apart.has(t.id))) {
    const long = `no target of this run is in the baseline as the same endpoint (${named(run.targets.map((t) => targetWhy(t.id)), 'target(s)')})`;
    return { long, short: 'no target of this run is in the baseline as the same endpoint (see the targets not compared)', fix: sameTargets };
  }
  const ran = (run.results ?? []).filter((r) => !r.notRun);
  const unique = (list: string[]) => [...new Set(list)];
  const ranTargets = unique(ran.map((r) => r.target));
  const shard = run.run?.selection.shard;
  if (ranTargets.length > 0 && ranTargets.every((t) => apart.has(t))) {
    // A lone shard's matrix lists every target of its run: the ones it ran are what it could compare.
    const who = shard ? `this run is shard ${inertLine(shard, 20)}, and no target it ran` : 'no target this run has cells of';
    return {
      long: `${who} is in the baseline as the same endpoint (${named(ranTargets.map(targetWhy), 'target(s)')})`,
      short: `${who} is in the baseline as the same endpoint (see the targets not compared)`,
      fix: shard ? "give a baseline that has the targets the shard ran (a run of every target), or gate on the merge of the shards (mantle-conformance merge), which counts every shard's cells" : sameTargets,
    };
  }
  if (run.results && ran.length === 0) {
    const long = 'this run has no cell with a result (each was another shard\'s, filtered out, or not reached)';
    return { long, short: long, fix: 'compare a run that ran cells (see why this one did not)' };
  }
  // Ids of the other run: a lone shard's "not compared" also names `target/model` pairs, not model ids.
  const theirs = (list: string[], mine: string[]) => unique(list).filter((id) => !mine.includes(id));
  const ranModels = unique(ran.map((r) => r.model));
  const notInBaseline = new Set([...comparison.newModels, ...(comparison.notSelected?.models ?? [])]);
  if (ranModels.length > 0 && ranModels.every((m) => notInBaseline.has(m))) {
    const other = comparison.notSelected?.byShard ? [] : theirs([...(comparison.notSelected?.models ?? []), ...comparison.vanishedModels], ranModels);
    return {
      long: `no model of this run is one the baseline ran (this run: ${ids(ranModels, 'model(s)')}${other.length ? `; the baseline: ${ids(other, 'model(s)')}` : ''})`,
      short: 'no model of this run is one the baseline ran (see the models not compared)',
      fix: 'give a baseline run of the same --models',
    };
  }
  const ranChecks = unique(ran.map((r) => r.check));
  const redefined = new Set((comparison.changedChecks ?? []).map((c) => c.check));
  if (ranChecks.length > 0 && ranChecks.every((c) => redefined.has(c))) {
    const long = `every check of this run is defined otherwise in the baseline's build (${ids(ranChecks, 'check(s)')})`;
    return { long, short: `every check of this run is defined otherwise in the baseline's build (see the checks not compared)`, fix: 'give a baseline run by this version (run the baseline\'s selection again, and keep it)' };
  }
  const checksNotInBaseline = new Set([...comparison.newChecks, ...(comparison.notSelected?.checks ?? []), ...redefined]);
  if (ranChecks.length > 0 && ranChecks.every((c) => checksNotInBaseline.has(c))) {
    const other = theirs([...(comparison.notSelected?.checks ?? []), ...comparison.vanishedChecks], ranChecks);
    return {
      long: `no check of this run is one the baseline ran (this run: ${ids(ranChecks, 'check(s)')}${other.length ? `; the baseline: ${ids(other, 'check(s)')}` : ''})`,
      short: 'no check of this run is one the baseline ran (see the checks not compared)',
      fix: 'give a baseline run of the same --checks',
    };
  }
  const long = 'no (target, model, check) cell of this run has a result in the baseline (see the ids not compared)';
  return { long, short: long, fix: 'give a baseline run of the same --targets, --models and --checks' };
}

/** The line the console and matrix.md say instead of counts of nothing (without its lead-in). */
export const nothingComparedLine = (comparison: MatrixComparison, run: ComparedRun): string => {
  const why = nothingComparedWhy(comparison, run);
  return `${why.short}, so no cell could be a new failure or a fix; ${why.fix}`;
};

/** The gate's problem when the run's comparison compared no cell; none without a comparison. */
export function nothingComparedProblems(matrix: Pick<Matrix, 'comparison'> & ComparedRun): GateProblem[] {
  const comparison = matrix.comparison;
  if (!comparison || !nothingCompared(comparison, matrix)) return [];
  const why = nothingComparedWhy(comparison, matrix);
  return [
    {
      kind: 'nothing-compared',
      message: `${NOTHING_COMPARED_GATE} (run ${inertLine(comparison.baseline.runId, 80)}): ${why.long}, so no cell could be a new failure or a fix; ${why.fix}, or drop --baseline`,
    },
  ];
}
