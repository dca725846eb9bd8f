/**
 * @module report/migration-sides
 * What the migration view may say of one surface of a model: `served` (an api.* check observed `supported`), `not
 * served` (api.* checks observed and none saw the API supported), `observed` (cells observed, but no api.* check
 * observed anything: none selected, or theirs errored) or `not observed` (no cell there observed anything), with why.
 * Only the first two are a capability claim: "served on Mantle only" made from an endpoint that died (ECONNREFUSED),
 * a shard that held no pair of the model there, a merge missing that shard or a run that selected no api.* check
 * would go into a migration ticket as a fact about bedrock-runtime. A side not observed is said as such, with why,
 * and the view says when the run is partial or a shard (what it did not observe is not a difference).
 */
import { inertLine } from './inert-text.ts';
import { listedOn, type Matrix, type MatrixResult, type MatrixTarget } from './matrix.ts';
import { missingShardReason } from './missing-shard.ts';

export type SideState = { kind: 'served' | 'not-served' | 'observed' } | { kind: 'not-observed'; why: string };

/** A model not observed on a surface (or on both) of one site: listed with why, never compared, never "served on one only". */
export interface NotObservedModel {
  model: string;
  surface: 'mantle' | 'runtime' | 'both';
  why: string;
}

/** Statuses in which a cell observed the endpoint: a value, or the endpoint saying the API is not served. */
const SEEN = new Set<MatrixResult['status']>(['pass', 'fail', 'flaky', 'unsupported']);
const VALUED = new Set<MatrixResult['status']>(['pass', 'fail', 'flaky']);

/** Why a run's view of its pairs is incomplete (a shard, a partial or interrupted run), or undefined. */
export function incompleteRun(matrix: Pick<Matrix, 'run'>): { shard?: string; partial?: string } {
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
 * the placement of a missing shard's pairs computed once per matrix.
 */
export function sideReader(matrix: Matrix): (target: MatrixTarget, model: string, results: readonly MatrixResult[]) => SideState {
  let missing: ReturnType<typeof missingShardReason> | null = null;
  const checks = matrix.checks?.map((c) => c.id) ?? [];
  const shard = matrix.run.selection?.shard;
  return (target, model, results) => {
    const ran = results.filter((r) => !r.notRun);
    const api = ran.filter((r) => r.check.startsWith('api.') && SEEN.has(r.status));
    if (api.some((r) => VALUED.has(r.status) && r.observed === 'supported')) return { kind: 'served' };
    if (api.length) return { kind: 'not-served' };
    if (ran.some((r) => SEEN.has(r.status))) return { kind: 'observed' };
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

/** Lines saying the run behind the view is a shard or partial: its models not observed are not differences. */
export function incompleteLines(run: { shard?: string; partial?: string }, text: (s: string) => string): string[] {
  return [
    ...(run.shard ? [`This is ${text(run.shard)}, not the whole run: a model whose pair another shard holds is not observed here on that surface; merge the shards, then compare the merge.`] : []),
    ...(run.partial ? [`The run did not finish (${text(run.partial)}): what it did not observe is listed as not observed, not as a difference.`] : []),
  ];
}
