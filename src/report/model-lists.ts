/**
 * @module report/model-lists
 * What the targets' model lists said (`--models listed`), in the words every report uses: the new models (listed,
 * not in the catalog: tested with no stated expectations, every cell informational) and, per target (surface and
 * region), the catalogued models it did not list and the ids it listed that the harness refused to use.
 */
import type { Matrix } from './matrix.ts';

/** The note every report carries for a model found on a model list and not in the catalog. */
export const NEW_MODEL_NOTE = 'new model: listed by the endpoint, not in the catalog; no stated expectations, every cell informational';

/** Ids of the run's new models, in matrix order. */
export function newModels(matrix: Matrix): string[] {
  return matrix.models.filter((m) => m.discovered).map((m) => m.id);
}

/** One plain line per target that read its model list: how many, new, not listed, refused. Ids are run data: callers neutralise them. */
export function modelListLines(matrix: Matrix): string[] {
  return matrix.targets.flatMap((t) => {
    const l = t.modelList;
    if (!l) return [];
    const parts = [`${l.listed} listed (${l.source})`];
    parts.push(l.new.length ? `new: ${l.new.join(', ')}` : 'nothing new');
    if (l.notListed.length) parts.push(`in the catalog but not listed: ${l.notListed.join(', ')}`);
    if (l.refused.length) parts.push(`refused (not a usable model id): ${l.refused.map((r) => `${JSON.stringify(r.id)} (${r.problem})`).join(', ')}`);
    return [`${t.id} (${t.surface ?? 'mantle'}${t.region ? `, ${t.region}` : ''}): ${parts.join('; ')}`];
  });
}
