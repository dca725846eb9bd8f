/**
 * @module report/capability-unreached
 * The rows a stopped run's capability table does not have: each (target, model) it planned and ran nothing of,
 * named with the place and surface it is missing on. Named per pair, not per model: a model with a row on one
 * surface must not read as measured on the other (a merge that lacks a shard, or a stop between two targets), nor
 * a pair the missing shard held be dropped as filtered out because the run had a filter.
 */
import { wasElsewhere, wasNotReached } from './gate.ts';
import { resultsByCell, type Matrix, type MatrixResult } from './matrix.ts';
import { missingShardReason, type MissingShardReason } from './missing-shard.ts';

/** Most bytes of model ids one note lists: a longer list goes on in another note, never cut (a note is capped when written). */
const IDS_MAX_BYTES = 3000;

/**
 * Why a pair ran nothing, or undefined when a selection left it out: a stop came first (`not reached`), or a merge
 * lacks the shard that held it (`in the missing shard 2/3`: missing-shard.ts reads the run's model filters and -t,
 * so a filter does not hide the shard's pairs), or its cells say another shard's with no filter given and no shard
 * named missing (merge-leftovers.ts), or whatever else they say. A pair the run's filters took, or a merged region
 * did not select (merge.ts, merge-leftovers.ts), is no loss of the stop, and is not named.
 */
function whyNotRun(results: readonly MatrixResult[], filters: readonly string[], missingShard: MissingShardReason | undefined): string | undefined {
  if (results.some(wasNotReached)) return 'not reached';
  const elsewhere = results.filter(wasElsewhere);
  if (missingShard && elsewhere.length > 0) {
    const why = missingShard(results[0]!, elsewhere.map((r) => r.check));
    if (why !== undefined) return why;
  }
  const selectedOut = (r: MatrixResult) => (filters.length > 0 && wasElsewhere(r)) || /^not run: (filtered out|not selected) on target /.test(r.reason);
  const lost = results.find((r) => !selectedOut(r));
  return lost && `not run (${lost.reason.replace(/^not run:\s*/, '')})`;
}

/** `[a, b], [c]`: ids in lists of at most IDS_MAX_BYTES each (one id longer than that is a list of its own). */
function chunks(ids: readonly string[]): string[][] {
  const lists: string[][] = [];
  let size = Infinity;
  for (const id of ids) {
    const bytes = Buffer.byteLength(id, 'utf8') + 2;
    if (size + bytes > IDS_MAX_BYTES) {
      lists.push([]);
      size = 0;
    }
    lists.at(-1)!.push(id);
    size += bytes;
  }
  return lists;
}

/**
 * The pairs of a stopped run with no cell run and no row, a note per place, surface and why:
 * `emulator 2026-12-05, mantle: 22 model(s) with no row, not reached: openai.gpt-oss-20b, ...`. `place` names a
 * target as the table's provenance does.
 */
export function unreachedRows(matrix: Matrix, place: (target: string) => string): { count: number; notes: string[] } {
  const groups = new Map<string, { target: string; why: string; models: string[] }>();
  const missingShard = missingShardReason(matrix);
  for (const results of resultsByCell(matrix.results).values()) {
    if (!results.every((r) => r.notRun)) continue;
    const why = whyNotRun(results, matrix.run.selection?.filters ?? [], missingShard);
    if (why === undefined) continue;
    const { target, model } = results[0]!;
    const key = JSON.stringify([target, why]);
    const group = groups.get(key) ?? { target, why, models: [] };
    group.models.push(model);
    groups.set(key, group);
  }
  const notes = [...groups.values()].flatMap(({ target, why, models }) => {
    const surface = matrix.targets.find((t) => t.id === target)?.surface ?? 'mantle';
    const lists = chunks(models);
    return lists.map((ids, n) => `${place(target)}, ${surface}: ${models.length} model(s) with no row, ${why}${lists.length > 1 ? ` (${n + 1} of ${lists.length})` : ''}: ${ids.join(', ')}`);
  });
  return { count: [...groups.values()].reduce((sum, g) => sum + g.models.length, 0), notes };
}
