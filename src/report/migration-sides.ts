/**
 * @module report/migration-sides
 * What the migration view may say of one surface of a model: `served` (an api.* check observed `supported`), `not
 * served` (every api.* check of it observed, and none saw the API supported), `observed` (cells observed, and no
 * api.* check there: none selected) or `not observed` (no cell there observed anything, or an api.* check did not
 * observe: errored, not reached, not run), with why.
 * Only the first two are a capability claim: "served on Mantle only" made from an endpoint that died (ECONNREFUSED),
 * a 503 on the one API bedrock-runtime serves the model through, a shard that held no pair of the model there, a
 * merge missing that shard or a run that selected no api.* check would go into a migration ticket as a fact about
 * bedrock-runtime. A side not observed is said as such, with why, and the view says when the run is partial, a shard
 * or a merge that lacks a shard (what it did not observe is not a difference). Several runs given together (a Mantle
 * run and a runtime run) are read each against its own run state (combineForMigration keeps them as `inputs`).
 */
import { inertLine } from './inert-text.ts';
import { listedOn, type Matrix, type MatrixResult, type MatrixTarget } from './matrix.ts';
import { missingShardReason } from './missing-shard.ts';
import { OBSERVED } from './observed-models.ts';

export type SideState = { kind: 'served' | 'not-served' | 'observed' } | { kind: 'not-observed'; why: string };

/** A model not observed on a surface (or on both) of one site: listed with why, never compared, never "served on one only". */
export interface NotObservedModel {
  model: string;
  surface: 'mantle' | 'runtime' | 'both';
  why: string;
}

/** Statuses in which a cell observed a value (unsupported observed the API not served, not a value). */
export const VALUED = new Set<MatrixResult['status']>(['pass', 'fail', 'flaky']);

/** A matrix combined from several runs for the view (migration.ts combineForMigration): the runs, each target in one. */
export type CombinedMatrix = Matrix & { inputs?: readonly Matrix[] };

/** How an input of several is named: by its place among the files given, and its run. */
export const inputName = (i: number, id: string) => `file ${i + 1} given (run ${inertLine(id, 120)})`;

/**
 * Why a run's view of its pairs is incomplete (a shard, a partial or interrupted run), or undefined; of several runs
 * given together, every one's, each named.
 */
export function incompleteRun(matrix: Pick<CombinedMatrix, 'run' | 'inputs'>): { shard?: string; partial?: string } {
  if (matrix.inputs && matrix.inputs.length > 1) {
    const each = matrix.inputs.map((m, i) => ({ ...incompleteRun(m), name: inputName(i, m.run.id) }));
    const shard = each.flatMap((e) => (e.shard ? [`${e.shard} (${e.name})`] : [])).join(' and ');
    const partial = each.flatMap((e) => (e.partial ? [`${e.name}: ${e.partial}`] : [])).join('; ');
    return { ...(shard ? { shard } : {}), ...(partial ? { partial } : {}) };
  }
  const run = matrix.run;
  const shard = run.selection?.shard;
  const stopped = run.interrupted ? 'interrupted' : run.partial ? 'partial' : undefined;
  return {
    ...(shard ? { shard: `shard ${shard} of run ${run.id}` } : {}),
    ...(stopped ? { partial: `${stopped}${run.partialReason ? `: ${run.partialReason}` : ''}` } : {}),
  };
}

/**
 * How a matrix's sides are read: `state(target, model, results)` with the pair's results (notRun ones included),
 * the placement of a missing shard's pairs computed once per matrix; several runs given together, each target
 * against its own run (its shard, its missing shards, its selection).
 */
export function sideReader(matrix: CombinedMatrix): (target: MatrixTarget, model: string, results: readonly MatrixResult[]) => SideState {
  if (matrix.inputs && matrix.inputs.length > 1) {
    const readers = matrix.inputs.map((m) => ({ targets: new Set(m.targets.map((t) => t.id)), read: sideReader(m) }));
    return (target, model, results) => (readers.find((r) => r.targets.has(target.id)) ?? readers[0]!).read(target, model, results);
  }
  let missing: ReturnType<typeof missingShardReason> | null = null;
  const checks = matrix.checks?.map((c) => c.id) ?? [];
  const shard = matrix.run.selection?.shard;
  return (target, model, results) => {
    const ran = results.filter((r) => !r.notRun);
    const api = results.filter((r) => r.check.startsWith('api.'));
    if (api.some((r) => !r.notRun && VALUED.has(r.status) && r.observed === 'supported')) return { kind: 'served' };
    if (ran.some((r) => OBSERVED.has(r.status))) {
      // "Not served" only when every api.* check observed: the API not observed may be the one the model is served through.
      const unseen = api.filter((r) => r.notRun || !OBSERVED.has(r.status));
      if (unseen.length) return { kind: 'not-observed', why: apiNotObserved(unseen, api.length > unseen.length) };
      return { kind: api.length ? 'not-served' : 'observed' };
    }
    if (ran.length) return { kind: 'not-observed', why: nothingObserved(ran) };
    // No cell of the pair ran: a missing shard's, another shard's, unselected there, or never planned.
    if (missing === null) missing = missingShardReason(matrix);
    const placed = missing?.({ target: target.id, model }, checks);
    if (placed) return { kind: 'not-observed', why: placed.startsWith('not run') ? placed : `not run: ${placed}` };
    if (shard) return { kind: 'not-observed', why: `not run in this shard (${shard}): another shard's; merge the shards to compare it` };
    const notRun = results.find((r) => r.notRun);
    if (notRun) return { kind: 'not-observed', why: notRun.reason };
    const listed = matrix.models.find((m) => m.id === model);
    return { kind: 'not-observed', why: listed && target.modelList && !listedOn(target, listed) ? "not run: the target's model list does not name it" : 'not run in this run' };
  };
}

/** `api.chat-completions: error (HARNESS_SERVER_ERROR: 503 ...); the other api.* checks saw no API served`: the api.* cells that did not observe. */
function apiNotObserved(unseen: readonly MatrixResult[], othersSeen: boolean): string {
  const state = (r: MatrixResult) => (r.notRun ? 'not run' : r.status === 'skipped' ? 'skipped or not reached' : r.status);
  const named = unseen.slice(0, 3).map((r) => `${r.check}: ${state(r)} (${inertLine(r.reason, 160)})`);
  const more = unseen.length > 3 ? [`${unseen.length - 3} more api.* check(s) not observed`] : [];
  return [...named, ...more, ...(othersSeen ? ['the other api.* checks saw no API served'] : [])].join('; ');
}

/** `nothing observed: 105 error(s) (HARNESS_CONNECTION ...)`: the statuses of a pair whose every cell ran and observed nothing. */
function nothingObserved(ran: readonly MatrixResult[]): string {
  const counts = new Map<string, number>();
  for (const r of ran) counts.set(r.status === 'skipped' ? 'skipped or not reached' : r.status, (counts.get(r.status === 'skipped' ? 'skipped or not reached' : r.status) ?? 0) + 1);
  const first = ran.find((r) => r.status === 'error') ?? ran[0]!;
  return `nothing observed: ${[...counts].map(([status, n]) => `${n} ${status === 'error' ? 'error(s)' : status}`).join(', ')} (${inertLine(first.reason, 160)})`;
}

/** The not-observed models of a pair as lines: per surface, the models grouped by why. */
export function notObservedLines(list: readonly NotObservedModel[], code: (id: string) => string, text: (s: string) => string): string[] {
  const label = { mantle: 'Not observed on Mantle', runtime: 'Not observed on bedrock-runtime', both: 'Not observed on either surface' } as const;
  return (['mantle', 'runtime', 'both'] as const).flatMap((surface) => {
    const byWhy = new Map<string, string[]>();
    for (const m of list.filter((x) => x.surface === surface)) byWhy.set(m.why, [...(byWhy.get(m.why) ?? []), m.model]);
    if (byWhy.size === 0) return [];
    const groups = [...byWhy].map(([why, models]) => `${models.map(code).join(', ')} (${text(why)})`);
    return [`${label[surface]} (not compared, no claim made about availability): ${groups.join('; ')}`];
  });
}

/** `merge: shard 2/3 of run x is missing` (merge.ts), as a part of a partial reason, after whatever names its input. */
const MISSING_SHARD = /^(?:.*: )?merge: (shard \d{1,4}\/\d{1,4} of run \S+) is missing$/;

/**
 * Lines saying the run behind the view is a shard, partial or a merge that lacks a shard: its models not observed
 * are not differences. A merge short of a shard did finish: it lacks that shard, as the other reports say it.
 */
export function incompleteLines(run: { shard?: string; partial?: string }, text: (s: string) => string): string[] {
  const parts = run.partial?.split('; ') ?? [];
  const lacks = parts.flatMap((p) => MISSING_SHARD.exec(p.replace(/^(?:partial|interrupted): /, ''))?.[1] ?? []);
  const rest = parts.filter((p) => !MISSING_SHARD.test(p.replace(/^(?:partial|interrupted): /, ''))).join('; ');
  return [
    ...(run.shard ? [`This is ${text(run.shard)}, not the whole run: a model whose pair another shard holds is not observed here on that surface; merge the shards, then compare the merge.`] : []),
    ...(lacks.length ? [`This merge lacks ${text(lacks.join(' and '))}: the models ${lacks.length === 1 ? 'it' : 'they'} held are not observed here on that surface, listed as not observed, not as a difference; merge with ${lacks.length === 1 ? 'it' : 'them'}, then compare the merge.`] : []),
    ...(rest ? [`The run did not finish (${text(rest)}): what it did not observe is listed as not observed, not as a difference.`] : []),
  ];
}
