/**
 * @module report/lost-models
 * What a comparison lost as a whole: a (target, model) pair the baseline observed that the newer run ran and observed
 * nothing of (the run's gate says so: observed-models.ts), and, for `compare`, a baseline target the newer run has no
 * cell of. Cell by cell, a model not in the catalog never gates (its error is "no longer observed"), so a gateway that
 * stopped serving such a model entirely read as "regressed: no"; and a region whose job wrote nothing read as a
 * vanished target. Neither was compared, and a gate on compare is never green on what it did not compare: a lost pair
 * regresses (`lostModels`, and its cells that now fail or error are new failures, as a catalog model's are); a vanished
 * target makes `compare` exit 1 (one the baseline observed: a target it held only as not run was not lost either). A
 * pair the newer run did not run (a filter, another shard) or sent nothing of (its own --max-requests or token cap, a
 * stop) is not lost: not compared. The endpoint was never asked, and "ran and observed nothing" would blame it.
 */
import { inertLine } from './inert-text.ts';
import { pairKey, type Matrix, type MatrixComparison } from './matrix.ts';
import { OBSERVED, unobservedModels } from './observed-models.ts';

/** The field a comparison lists them in: `target/model`, each a pair the baseline observed and this run observed nothing of. */
export interface LostModels {
  lostModels?: string[];
}

type Run = Pick<Matrix, 'results' | 'models' | 'targets'>;

/**
 * Whether a cell asked the endpoint anything: not one the run did not select or reach (notRun), nor one skipped with
 * no exchange (`not sent: the run reached --max-requests 5`: a cap of the harness's own; a step the endpoint's earlier
 * answer left unsendable keeps that answer as evidence).
 */
const sent = (r: Run['results'][number]): boolean => !r.notRun && !(r.status === 'skipped' && r.evidence.length === 0);

/** The pairs (as `pairKey`) of `run` it sent a request of (`ran`) and observed something of, by the gate's rule. */
function observedPairs(run: Run): { ran: Set<string>; observed: Set<string> } {
  const ran = run.results.filter(sent);
  const unobserved = new Set(unobservedModels(run).problems.flatMap((p) => (p.target !== undefined && p.model !== undefined ? [pairKey(p.target, p.model)] : [])));
  const seen = new Set(ran.filter((r) => OBSERVED.has(r.status)).map((r) => pairKey(r.target, r.model)));
  return { ran: new Set(ran.map((r) => pairKey(r.target, r.model))), observed: new Set([...seen].filter((k) => !unobserved.has(k))) };
}

/**
 * The pairs (`pairKey` -> `target/model`) the baseline observed and the newer run ran and observed nothing of, on the
 * targets the comparison did not set apart (`apart`: another endpoint than the baseline's).
 */
export function lostPairs(before: Run, after: Run, apart: ReadonlySet<string>): Map<string, string> {
  const was = observedPairs(before);
  const now = observedPairs(after);
  const lost = new Map<string, string>();
  for (const r of after.results) {
    const k = pairKey(r.target, r.model);
    if (apart.has(r.target) || lost.has(k) || !was.observed.has(k) || !now.ran.has(k) || now.observed.has(k)) continue;
    lost.set(k, `${r.target}/${r.model}`);
  }
  return lost;
}

/** The line that names the lost pairs, or undefined. Ids are run data: made inert. */
export function lostModelsLine(comparison: LostModels): string | undefined {
  const lost = comparison.lostModels ?? [];
  return lost.length ? `no longer observed at all (regressed: the baseline observed them, this run ran them and observed nothing of them): ${inertLine(lost.join(', '), 2000)}` : undefined;
}

/**
 * `compare`: why a baseline target with no cell in the newer run fails it, or undefined. A run does not record which
 * targets it was asked for, so a region left out on purpose and one whose job wrote nothing (a merge without
 * `--expect-targets`) read alike: neither was compared.
 */
export function vanishedTargetsProblem(comparison: Pick<MatrixComparison, 'vanishedTargets'>): string | undefined {
  const gone = comparison.vanishedTargets;
  if (gone.length === 0) return undefined;
  return `regressed: the baseline has target(s) ${inertLine(gone.join(', '), 1000)} and the newer run has no cell of them, so nothing of them was compared (exit 1): compare a run of the same targets (merge every region's run; --expect-targets names a region whose job wrote nothing)`;
}
