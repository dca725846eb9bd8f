/**
 * @module report/nothing-compared
 * A run given `--baseline` whose comparison compared nothing: every target of the run is another endpoint than the
 * baseline's of that id (its surface or region changed) or is not in the baseline at all. Its "no new failure" was not
 * observed, it is what a comparison of nothing says; so, as `compare` exits 1 then, the gate of `run --baseline`,
 * `report --baseline`, of a report of such a saved run, and of a merge of such runs fails, and says why and the fix.
 * A CI job that passes --baseline to fail on regressions would otherwise read green with no cell compared.
 */
import { inertLine } from './inert-text.ts';
import type { GateProblem, Matrix } from './matrix.ts';
import { describeTargetChanges, nothingCompared } from './target-identity.ts';

/** How the gate line sums the problem up, and how its message begins. */
export const NOTHING_COMPARED_GATE = 'nothing was compared with --baseline';

/** Targets the message names, each bounded; the rest are counted (every one is in the comparison). */
const NAMED = 3;

/** The gate's problem when the run's comparison compared none of its targets; none without a comparison. */
export function nothingComparedProblems(matrix: Pick<Matrix, 'comparison' | 'targets'>): GateProblem[] {
  const comparison = matrix.comparison;
  if (!comparison || !nothingCompared(comparison, matrix.targets)) return [];
  const changed = new Map((comparison.changedTargets ?? []).map((c) => [c.target, c.changes]));
  // Target ids and surface or region values are run data (a matrix.json from elsewhere): made inert and bounded.
  const why = matrix.targets.map((t) => {
    const changes = changed.get(t.id);
    return `${inertLine(t.id, 60)}: ${changes ? `another endpoint, ${inertLine(describeTargetChanges(changes), 120)}` : 'not in the baseline'}`;
  });
  const more = why.length > NAMED ? `; and ${why.length - NAMED} more target(s)` : '';
  return [
    {
      kind: 'nothing-compared',
      message: `${NOTHING_COMPARED_GATE} (run ${inertLine(comparison.baseline.runId, 80)}): no target of this run is in the baseline as the same endpoint (${why.slice(0, NAMED).join('; ')}${more}), so no cell could be a new failure or a fix; give a baseline of the same targets (surface, region), or drop --baseline`,
    },
  ];
}
