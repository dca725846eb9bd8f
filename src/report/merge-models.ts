/**
 * @module report/merge-models
 * One `models[]` entry per model in a merge. What an entry says comes from the catalog a run was judged with
 * (inCatalog, family, familyTitle, the "did you mean" suggestion), and the gate and compare read it: a model not in
 * the catalog with no stated expectation never gates, nor fails as new since a baseline. Two inputs that say different
 * things of one model (a catalog edited between two regions' jobs) are refused, naming both files, the model and the
 * field, as two definitions of one check are (check-definitions.ts): keeping either would let the order of the files
 * decide the verdict. `discovered` is a target's (the target whose model list named the id: targets[].modelList.new),
 * and a single run of several targets says it when any target found it: so does the merge, whatever the order.
 */
import type { Matrix, MatrixModel } from './matrix.ts';

/** The fields every input must agree on; discovered is joined (any input's target found it). */
const AGREED = ['inCatalog', 'family', 'familyTitle', 'suggestion'] as const;

/** How two inputs' entries of one model differ, or undefined when they agree: the first model and field that differ. */
export function modelDifference(a: Matrix, b: Matrix): { model: string; field: (typeof AGREED)[number]; values: [string, string] } | undefined {
  const theirs = new Map(b.models.map((m) => [m.id, m]));
  for (const mine of a.models) {
    const other = theirs.get(mine.id);
    if (!other) continue;
    const field = AGREED.find((f) => mine[f] !== other[f]);
    if (field) return { model: mine.id, field, values: [said(mine[field]), said(other[field])] };
  }
  return undefined;
}

const said = (value: string | boolean | null | undefined) => (value === undefined ? 'none' : JSON.stringify(value));

/** The inputs' models as one list, in the order they first appear; after assertMergeable, so the entries agree. */
export function mergeModels(matrices: readonly Matrix[]): MatrixModel[] {
  const out = new Map<string, MatrixModel>();
  for (const m of matrices.flatMap((x) => x.models)) {
    const seen = out.get(m.id);
    if (!seen) out.set(m.id, { ...m });
    else if (m.discovered) seen.discovered = true;
  }
  return [...out.values()];
}
