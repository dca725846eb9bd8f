/**
 * @module report/merge-models
 * One `models[]` entry per model in a merge. What an entry says comes from the catalog a run was judged with, and a
 * merge of runs of different catalogs (one per region) is a merge the README documents. Of the entry, the gate and
 * compare read whether the model is in the catalog (a model not in it with no stated expectation never gates, nor
 * fails as new since a baseline) and whether a "did you mean" suggestion exists (observed-models.ts: a near miss of a
 * catalog id answered in another model's name is an unobserved model); its family is the catalog's grouping of it.
 * Two inputs that differ there (a catalog edited between two regions' jobs) are refused, naming the files, the model
 * and the field, as two definitions of one check are (check-definitions.ts): keeping either would let the order of the
 * files decide the verdict. The suggestion's text and the family's title are hints that each region's catalog words
 * its own way (its closest id, its title): nothing reads them for a verdict, so the merge keeps the code-unit-smallest
 * of the inputs', whatever their order. `discovered` is a target's (the target whose model list named the id:
 * targets[].modelList.new), and a single run of several targets says it when any target found it: so does the merge.
 */
import type { Matrix, MatrixModel } from './matrix.ts';

/** The fields every input that has the model must agree on, each as the inputs say it (a suggestion: whether one exists). */
const AGREED = {
  inCatalog: (m: MatrixModel) => JSON.stringify(m.inCatalog),
  family: (m: MatrixModel) => JSON.stringify(m.family),
  suggestion: (m: MatrixModel) => (m.suggestion === undefined ? 'none' : 'one'),
} as const;

/** A field the inputs disagree on: each value said and the inputs (indexes) that say it, in the order first said. */
export interface ModelDifference {
  model: string;
  field: keyof typeof AGREED;
  values: { said: string; inputs: number[] }[];
}

/** The first model (in the order the inputs list them) and field the inputs that have it disagree on, or undefined. */
export function modelDifference(matrices: readonly Matrix[]): ModelDifference | undefined {
  const entries = new Map<string, { input: number; entry: MatrixModel }[]>();
  for (const [input, m] of matrices.entries()) for (const entry of m.models) entries.set(entry.id, [...(entries.get(entry.id) ?? []), { input, entry }]);
  for (const [model, of] of entries) {
    for (const field of Object.keys(AGREED) as (keyof typeof AGREED)[]) {
      const values = new Map<string, number[]>();
      for (const { input, entry } of of) values.set(AGREED[field](entry), [...(values.get(AGREED[field](entry)) ?? []), input]);
      if (values.size < 2) continue;
      // A suggestion is said by its text (the smallest of those inputs'), so the message shows what each catalog said.
      const said = (key: string, inputs: number[]) => (field === 'suggestion' && key === 'one' ? JSON.stringify(smallest(inputs.map((i) => of.find((e) => e.input === i)!.entry.suggestion))) : key);
      return { model, field, values: [...values].map(([key, inputs]) => ({ said: said(key, inputs), inputs })) };
    }
  }
  return undefined;
}

/** The code-unit-smallest of the strings given (null when none is), so a merge keeps one hint whatever the order of the files. */
function smallest(values: readonly (string | null | undefined)[]): string | null {
  const strings = values.filter((v): v is string => typeof v === 'string');
  return strings.length ? strings.reduce((a, b) => (b < a ? b : a)) : null;
}

/** The inputs' models as one list, in the order they first appear; after assertMergeable, so the fields in AGREED agree. */
export function mergeModels(matrices: readonly Matrix[]): MatrixModel[] {
  const entries = new Map<string, MatrixModel[]>();
  for (const m of matrices.flatMap((x) => x.models)) entries.set(m.id, [...(entries.get(m.id) ?? []), m]);
  return [...entries.values()].map((same) => {
    const merged: MatrixModel = { ...same[0]!, familyTitle: smallest(same.map((x) => x.familyTitle)) };
    if (merged.suggestion !== undefined) merged.suggestion = smallest(same.map((x) => x.suggestion))!;
    if (same.some((x) => x.discovered)) merged.discovered = true;
    return merged;
  });
}
