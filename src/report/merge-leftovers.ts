/**
 * @module report/merge-leftovers
 * The cells no input of a merge ran that their run said were "filtered out or another shard's" (run-matrix.ts). The
 * run's words cannot say which: the merge can. A run with filters left them out by its filters; a run without any
 * had them as another shard's, and when no shard of the merge ran them the merge lacks that shard, whatever the
 * shard labels say (a shard file relabelled `1/1` passed a merge with half its cells never run).
 */
import { wasElsewhere } from './gate.ts';
import { inertLine } from './inert-text.ts';
import type { Matrix, MatrixResult } from './matrix.ts';

export interface Leftovers {
  /** The merged cells, those a filter took reworded so that the merged file says why (its own filters may be none). */
  results: MatrixResult[];
  /** Runs with cells no shard ran although their inputs had no filter: the merge lacks a shard of them. */
  problems: string[];
}

/**
 * `chosen`: each merged cell with the input it came from. The merged run's filters are the union of the inputs'
 * (none when any input had none, e.g. one region filtered and the other not), so a filtered input's cells are said
 * as its run's filters, not as the merged run's.
 */
export function settleLeftovers(chosen: readonly { result: MatrixResult; from: Matrix }[], mergedFilters: readonly string[]): Leftovers {
  const lacking = new Map<string, number>();
  const results = chosen.map(({ result, from }) => {
    if (!wasElsewhere(result)) return result;
    const filters = from.run.selection.filters;
    if (filters.length === 0) {
      lacking.set(from.run.id, (lacking.get(from.run.id) ?? 0) + 1);
      return result;
    }
    if (mergedFilters.length > 0) return result;
    return { ...result, reason: `not run: filtered out on target ${result.target} by run ${from.run.id}'s filters (${filters.join(' ')})` };
  });
  const problems = [...lacking].map(
    ([run, cells]) => `run ${inertLine(run, 200)}: ${cells} cell(s) no input ran, which its files call another shard's (they have no filter): a shard of it is missing, or a file's shard label was changed`,
  );
  return { results, problems };
}
