/**
 * @module report/catalog-answers
 * Which cells read answers another model of the catalog (or of the run) gave in the requested model's name: a
 * gateway's fallback, or a rewritten model id (openai.gpt-oss-20b answered as openai.gpt-oss-120b). What such a cell
 * read is that model's. One rule for the three readers of it, so that one observation gets one verdict: a record run
 * keeps the model's recordings (run/other-model-answers-kept.ts), bless skips the cell, and the gate counts a catalog
 * model whose every answered cell is such a cell as not observed (observed-models.ts). An answer in a name no id of
 * the catalog or the run is (an alias, a deployment name) is the model's own, as far as the harness can tell.
 */
import { catalogModelNamed } from '../checks/answered-by.ts';
import { citesAnotherModel, otherModelAnswers, quoteNames } from '../checks/other-model-answers.ts';
import type { MatrixResult } from './matrix.ts';

type Cell = Pick<MatrixResult, 'model' | 'evidence' | 'trials' | 'otherModel'>;

/**
 * The id of another model of `ids` (the catalog's and the run's) a cell's answers came in the name of, or undefined:
 * the one the matrix's build found (`otherModel.catalogModel`), else one of `ids` its answers' names are.
 */
export function answeredByCatalogModel(r: Cell, ids: Iterable<string>): string | undefined {
  return r.otherModel?.catalogModel ?? namedCatalogModel(r, ids);
}

/** The first of `ids` that a name of the cell's answers in another model's name is (checks/answered-by.ts catalogModelNamed). */
function namedCatalogModel(r: Cell, ids: Iterable<string>): string | undefined {
  if ((r.otherModel?.others ?? 0) === 0 && !citesAnotherModel(r)) return undefined;
  const names = r.otherModel?.names ?? otherModelAnswers([r]).named;
  for (const name of names) {
    const id = catalogModelNamed(r.model, name, ids);
    if (id !== undefined) return id;
  }
  return undefined;
}

/**
 * Notes in a matrix cell's `otherModel` the other model of `ids` its answers came in the name of, when there is one:
 * the gate reads it from matrix.json, where the catalog's ids are not kept. `r` is the matrix's own copy.
 */
export function stampCatalogModel(r: MatrixResult, ids: readonly string[]): void {
  if (!r.otherModel || r.otherModel.others === 0) return;
  const id = namedCatalogModel(r, ids);
  if (id !== undefined) r.otherModel.catalogModel = id;
}

/**
 * Of a catalog model's cells of checks that use the model, when each that read a 2xx answer read one in the name of
 * another model of the catalog or the run (as the matrix's build found it): how many, and those models, quoted (and
 * their ids, to say which the run alone named). Undefined when
 * none read an answer, or one read no other catalog model's: the model answered itself somewhere.
 */
export function everyAnswerAnotherCatalogModel(results: readonly MatrixResult[]): { cells: number; models: string; ids: string[] } | undefined {
  // Nearly every model has no such cell: then none answered in another's name, or one answered itself (and counting
  // each cell's answers, over thousands of cells and twice a build, is what the rest costs).
  if (!results.some((r) => r.otherModel?.catalogModel !== undefined)) return undefined;
  const answered = results.filter((r) => (r.otherModel?.answers ?? otherModelAnswers([r]).answers) > 0);
  if (answered.length === 0 || answered.some((r) => r.otherModel?.catalogModel === undefined)) return undefined;
  const ids = answered.map((r) => r.otherModel!.catalogModel!);
  return { cells: answered.length, models: quoteNames(ids), ids: [...new Set(ids)] };
}
