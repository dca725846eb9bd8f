/**
 * @module report/observed-models
 * Which models a run observed, for the gate: a model is observed when a probe found an API serving it or a check read
 * one of its answers. A typo'd id gets route errors on every API and answers to every check that needs no model (its
 * absence from the list, error bodies), so those observe nothing of it, nor do a gateway's answers to it in another
 * model's name; a model known to exist that every API refuses by name, or a run filtered to APIs it does not speak,
 * is an observation.
 */
import { namesAnotherModel } from '../checks/answered-by.ts';
import { citesAnotherModel, otherModelAnswers, quoteNames, type OtherModelAnswers } from '../checks/other-model-answers.ts';
import { everyAnswerAnotherCatalogModel } from './catalog-answers.ts';
import { inertLine } from './inert-text.ts';
import type { OtherModelCount } from '../checks/types.ts';
import type { GateProblem, Matrix, MatrixGate, MatrixResult } from './matrix.ts';
import { pairKey, resultsByCell } from './matrix.ts';
import { idHint, listSays, vouchFails } from './list-says.ts';

/**
 * Statuses that say something about the endpoint: it answered and the check could read what it looks for. Not
 * `inconclusive`: the model's budget or choice hid the behaviour, so a model whose every cell is inconclusive was
 * not observed (as the coverage line counts it).
 */
export const OBSERVED: ReadonlySet<MatrixResult['status']> = new Set(['pass', 'fail', 'flaky', 'unsupported']);

/** The error codes a cell names (evidence first, then the reason's prefix), for messages. */
function errorCodes(results: readonly MatrixResult[]): string[] {
  const codes = new Set<string>();
  for (const r of results) {
    for (const e of r.evidence) if (e.error && /^HARNESS_[A-Z_]+$/.test(e.error)) codes.add(e.error);
    const prefix = /^(HARNESS_[A-Z_]+)\b/.exec(r.reason)?.[1];
    if (prefix) codes.add(prefix);
  }
  return [...codes].sort();
}

/** The code of cells of a model every probe of which was refused a 403 that denies access (checks/route.ts modelDenied). */
const ACCESS_DENIED = 'HARNESS_ACCESS_DENIED';

/** Models (per target) that ran in this matrix and observed nothing. */
export function unobservedModels(matrix: Pick<Matrix, 'results' | 'models'> & Partial<Pick<Matrix, 'targets'>>): { problems: GateProblem[]; cells: Set<MatrixResult> } {
  const byCell = resultsByCell(matrix.results, (r) => !r.notRun);
  const problems: GateProblem[] = [];
  const cells = new Set<MatrixResult>();
  for (const results of byCell.values()) {
    const { target, model } = results[0]!;
    const info = matrix.models.find((m) => m.id === model);
    const listed = listSays(results, matrix.targets?.find((t) => t.id === target), model, info, matrix.models);
    const catalog = idHint(model, info, listed);
    const known = info?.inCatalog === true || info?.discovered === true || results.some((r) => r.check === 'models.listed' && r.observed === 'listed');
    // Every probe refused a 403 that denies access: the cause and its fix are the credentials', said as the probes
    // found it (the reason after the code), not as "could not tell which route serves it".
    const denied = results.find((r) => r.status === 'error' && r.reason.startsWith(`${ACCESS_DENIED}: `));
    if (denied && !results.some(showsService)) {
      // The endpoint said the id exists and is forbidden: no listed id is a "did you mean" of it.
      problems.push({ kind: 'unobserved-model', target, model, message: `${model} (${target}): nothing observed (${ACCESS_DENIED}), ${denied.reason.slice(ACCESS_DENIED.length + 2)}${idHint(model, info, { unlisted: false })}` });
      results.forEach((r) => cells.add(r));
      continue;
    }
    // An id nothing vouches for whose every request was refused: a gateway's own words for an unknown model ("x is
    // not a valid model ID") read as "served, but this request rejected" on every API unless the classifier knows
    // them. Nothing of such a model is observed until something answers it.
    if (!known && results.some(showsService) && !results.some(answeredOk)) {
      const statuses = [...new Set(results.filter((r) => !ASKS_NO_MODEL.test(r.check)).flatMap((r) => r.evidence.map((e) => e.status)).filter((s): s is number => s !== undefined))].sort((a, b) => a - b);
      problems.push({ kind: 'unobserved-model', target, model, message: `${model} (${target}): nothing observed, no request for it was answered with a 2xx (every answer ${statuses.join('/') || 'a refusal'}): is the id right?${catalog}` });
      results.forEach((r) => cells.add(r));
      continue;
    }
    // A near miss of a catalog id, or of an id the endpoint lists where its list (read whole) does not name this one,
    // that nothing vouches for, answered mostly in another model's name: a gateway that routes an id it does not know
    // to its default model answers 200, and the cells read that model (`bb` for the listed `b`). An id that is no
    // near miss (an alias, an Azure deployment name its list leaves out), or one a list not read whole may hold, is
    // answered in the name of the model behind it: that is no typo. Nor is one the list names as the same model
    // (`qwen3-32b` for `Qwen3-32B`) while its answers name no other listed model (a gateway's default, `gpt-4o-mini`,
    // answering every id: vouchFails), nor, of the listed-id rule, one answered in the name of the very listed id it
    // is a near miss of (`gpt4o` answered as `gpt-4o-2024-08-06`, an alias of `gpt-4o`: a gateway's default answers
    // so only the typo of the default); the summaries note those answers.
    const byCatalog = info?.suggestion !== undefined;
    const near = listed.guess ?? listed.same;
    const other = (byCatalog || (listed.unlisted && near !== undefined)) && !known ? answersOfAnotherModel(results) : undefined;
    const aliasOfGuess = !byCatalog && other !== undefined && other.named.length > 0 && other.named.every((name) => !namesAnotherModel(near!, name));
    if (other && !aliasOfGuess && (listed.same === undefined || vouchFails(listed, other.named))) {
      const unlisted = listed.unlisted ? ", and the endpoint's model list, read whole, does not name it" : '';
      problems.push({
        kind: 'unobserved-model',
        target,
        model,
        message: `${model} (${target}): nothing of it observed, ${other.others} of ${other.answers} answers came from another model (${other.names})${unlisted}: is the id right?${catalog} (an endpoint may answer an id it does not know with its default model)`,
      });
      results.forEach((r) => cells.add(r));
      continue;
    }
    // A catalog model each of whose answered cells read another catalog model's answers (a gateway's fallback, a
    // rewritten id): as record (which keeps the model's recordings) and bless (which skips such cells) read them.
    const rerouted = info?.inCatalog === true ? everyAnswerAnotherCatalogModel(results.filter((r) => !ASKS_NO_MODEL.test(r.check))) : undefined;
    if (rerouted) {
      // An id of the run alone (`--models a,my-backend`, not in the catalog) is no catalog model: said as the source it is.
      const of = rerouted.ids.some((id) => matrix.models.find((m) => m.id === id)?.inCatalog === false) ? 'the catalog or the run' : 'the catalog';
      problems.push({ kind: 'unobserved-model', target, model, message: `${model} (${target}): nothing of it observed, each of its ${rerouted.cells} cell(s) that read an answer read one in the name of another model of ${of} (${rerouted.models}): a gateway's fallback or a rewritten model id; what they judged is that model's` });
      results.forEach((r) => cells.add(r));
      continue;
    }
    if (results.some(showsService)) continue;
    // Answered (a 2xx) and yet nothing of it read: its budget or choices hid every behaviour asked about where it is
    // served. Refusals by APIs that do not serve it say nothing of that: adding tools.messages.* to a run of a model
    // of chat and Responses would otherwise turn "nothing observed" into a pass.
    if (results.some(answeredOk) && !results.some(readsAnswer)) {
      problems.push({ kind: 'unobserved-model', target, model, message: `${model} (${target}): nothing observed, ${unobservedCells(results)}${catalog}` });
      results.forEach((r) => cells.add(r));
      continue;
    }
    if (results.some(showsRefusal)) {
      const refused = servedNoApi(results, known);
      if (refused) {
        problems.push({ kind: 'unobserved-model', target, model, message: `${model} (${target}): nothing of the model observed, no API serves it here (${refused}${catalog}` });
        results.forEach((r) => cells.add(r));
      }
      continue;
    }
    // A run filtered to checks that need no model (--checks 'errors.*') observed what it asked, of a model known to
    // exist; an id nothing vouches for, or one the endpoint said does not exist, was not observed.
    const notFound = errorCodes(results.filter((r) => r.status === 'error')).includes('HARNESS_MODEL_NOT_FOUND');
    const noModelOnly = results.every((r) => ASKS_NO_MODEL.test(r.check)) && results.some((r) => OBSERVED.has(r.status));
    if (known && !notFound && noModelOnly) continue;
    const listing = results.find((r) => r.check === 'models.listed');
    const vouch = listing
      ? `the endpoint's model list does not name it (models.listed: ${listing.observed === null ? listing.status : String(listing.observed)}): check the id, or add a check that uses the model (--checks 'api.*')`
      : `no model list was read: add models.listed to --checks, or a check that uses the model (--checks 'api.*')`;
    const wayOut = noModelOnly && !notFound ? `; only checks that need no model ran, and ${vouch}` : '';
    problems.push({ kind: 'unobserved-model', target, model, message: `${model} (${target}): nothing observed, ${unobservedCells(results)}${wayOut}${catalog}` });
    results.forEach((r) => cells.add(r));
  }
  return { problems, cells };
}

/**
 * The models (per target, as `pairKey`) the gate found nothing of observed: what their cells read is not the model's
 * (a typo'd id's error bodies, another model's answers), so no report shows it as the model's pass.
 */
export function unobservedPairs(gate: Pick<MatrixGate, 'problems'>): Set<string> {
  return new Set(gate.problems.flatMap((p) => (p.kind === 'unobserved-model' && p.target !== undefined && p.model !== undefined ? [pairKey(p.target, p.model)] : [])));
}

/** A model (on one target) the gate observed, some of whose cells read answers in another model's name. */
export interface AnsweredAsAnother {
  target: string;
  model: string;
  /** Its cells that read a 2xx answer (to checks that use the model). */
  answered: number;
  /** Those of them that read one in another model's name. */
  noted: number;
  /** The names, quoted and cut short (quoteNames). */
  names: string;
}

/** A cell's 2xx answers in another model's name, counted before the evidence was cut (`otherModel`), else as the evidence shows them (a matrix.json written before that field). */
function otherModelOf(r: MatrixResult): OtherModelCount {
  if (r.otherModel) return r.otherModel;
  const other = otherModelAnswers([r]);
  return { answers: other.answers, others: other.others, names: other.named };
}

/** Whether a cell read an answer in another model's name (counted before its evidence was cut, or in it). */
const namesAnother = (r: MatrixResult): boolean => (r.otherModel?.others ?? 0) > 0 || citesAnotherModel(r);

/**
 * The models, besides those the gate found nothing of observed (it says so of them already), some of whose cells of
 * checks that use the model read answers in another model's name. The gate cannot tell an alias or a deployment name
 * (answered in the name of the model behind it) from an id a gateway routes to its default (a catalog id, a typo far
 * from every catalog id): a person can, so the summaries say it, as a note. Counted in cells, each counted as its
 * check read it (before the reports cut its evidence): an answer several checks read is not counted again.
 */
export function answeredAsAnother(matrix: Pick<Matrix, 'results' | 'gate'>): AnsweredAsAnother[] {
  const unobserved = unobservedPairs(matrix.gate);
  const found: AnsweredAsAnother[] = [];
  for (const results of resultsByCell(matrix.results, (r) => !r.notRun && !ASKS_NO_MODEL.test(r.check)).values()) {
    const { target, model } = results[0]!;
    // Most runs have no such answer at all: looked for before anything is counted.
    if (unobserved.has(pairKey(target, model)) || !results.some(namesAnother)) continue;
    const counts = results.map(otherModelOf);
    const noted = counts.filter((c) => c.others > 0);
    found.push({ target, model, answered: counts.filter((c) => c.answers > 0).length, noted: noted.length, names: quoteNames(noted.flatMap((c) => c.names)) });
  }
  return found;
}

/**
 * The note a summary prints of such a model. Whether it is an alias (every answer that names a model) or a fallback
 * now and then (some) is left to the reader: an answer that names no model at all (count_tokens) reads like neither.
 */
export function answeredAsAnotherLine({ target, model, answered, noted, names }: AnsweredAsAnother): string {
  return `${model} (${target}): ${noted} of ${answered} cell(s) that read an answer read one in another model's name (${names}): an alias or a deployment name of that model reads so in every cell that names one, a fallback in some; for a model id, those cells judged another model`;
}

/** How many such models a report lists (matrix.md, matrix.html); the console lists 10, the step summary 50. */
export const NOTES_LISTED = 500;

/** The console's notes of such models, inert: one line each, at most `max`, then how many more. */
export function answeredAsAnotherLines(matrix: Pick<Matrix, 'results' | 'gate'>, max = 10): string[] {
  const found = answeredAsAnother(matrix);
  const lines = found.slice(0, max).map((other) => `  note: ${inertLine(answeredAsAnotherLine(other))}`);
  if (found.length > max) lines.push(`  ... and ${found.length - max} more model(s) answered in another model's name (matrix.md lists them)`);
  return lines;
}

/**
 * Checks whose verdict does not need the model to answer: they read what the endpoint says to a wrong route, an
 * unknown id or a bad parameter, its model list, its headers, its error bodies. A typo'd id gets all of them.
 */
export const ASKS_NO_MODEL = /^(errors|models|headers)\.|^schema\.error$/;

/**
 * A cell of a check that uses the model that shows something answered a request for it: its evidence holds a 2xx,
 * or it read something (pass, fail, flaky) and names no status at all (a `valid` schema.* cell lists no exchange),
 * so it cannot be told apart from one that read a 2xx.
 */
function answeredOk(r: MatrixResult): boolean {
  if (ASKS_NO_MODEL.test(r.check)) return false;
  const statuses = r.evidence.map((e) => e.status).filter((s) => s !== undefined);
  if (statuses.length === 0) return r.status === 'pass' || r.status === 'fail' || r.status === 'flaky';
  return statuses.some((s) => s >= 200 && s < 300);
}

/**
 * A cell that read something of the model where it is served: a verdict on a check that uses the model, other than a
 * refusal by an API that does not serve it (one read from a 2xx answer, a feature the model declined, counts).
 */
function readsAnswer(r: MatrixResult): boolean {
  if (ASKS_NO_MODEL.test(r.check) || !OBSERVED.has(r.status)) return false;
  return r.status !== 'unsupported' || r.evidence.some((e) => e.status !== undefined && e.status >= 200 && e.status < 300);
}

/**
 * The 2xx answers to checks that use the model, when at least half of them came in another model's name (evidence
 * `answeredBy`); undefined when fewer did: a gateway's fallback now and then (a context-window or 429 fallback) does
 * not make the model unobserved.
 */
function answersOfAnotherModel(results: readonly MatrixResult[]): OtherModelAnswers | undefined {
  const other = otherModelAnswers(results.filter((r) => !ASKS_NO_MODEL.test(r.check)));
  return other.others > 0 && 2 * other.others >= other.answers ? other : undefined;
}

/** The probes of the four APIs a model may speak. */
const API_PROBES = ['api.chat-completions', 'api.responses', 'api.messages', 'api.count-tokens'] as const;

/** A cell that shows an API served the model: a probe that found it, or a check that read one of its answers. */
function showsService(r: MatrixResult): boolean {
  if (r.check.startsWith('api.')) return r.observed === 'supported';
  if (r.check === 'path-prefix') return typeof r.observed === 'string' && r.observed !== 'none';
  return (r.status === 'pass' || r.status === 'fail' || r.status === 'flaky') && !ASKS_NO_MODEL.test(r.check);
}

/** A cell that shows the model's APIs refused it: a probe that found one not served, or a check that needed one. */
function showsRefusal(r: MatrixResult): boolean {
  if (r.status === 'unsupported') return true;
  return (r.check.startsWith('api.') || r.check === 'path-prefix') && OBSERVED.has(r.status);
}

/**
 * Why no API serving the model is a problem, for a model no cell shows served (every API refused it); undefined
 * when it is an observation. An endpoint answers an id it does not know with route errors on every API: the model
 * was never observed, whatever the other checks read from those errors. It is an observation when it is what is
 * stated for every probe the run kept, or when the model is known (in the catalog, or on the endpoint's own list)
 * and not all four probes were answered with bare 404s (an endpoint that refuses each API by name, or a run
 * filtered to a probe the model does not speak). Bare 404s on every probe for a known model say a wrong id or a
 * wrong --endpoint path as likely as a model withdrawn.
 */
function servedNoApi(results: readonly MatrixResult[], known: boolean): string | undefined {
  const probes = results.filter((r) => (r.check.startsWith('api.') && r.observed === 'unsupported') || (r.check === 'path-prefix' && r.observed === 'none'));
  if (probes.length > 0 && probes.every((r) => r.expected === (r.check === 'path-prefix' ? 'none' : 'unsupported'))) return undefined;
  const refused = results.filter((r) => r.status === 'unsupported' || probes.includes(r));
  if (refused.length === 0) return undefined;
  const main = API_PROBES.map((id) => probes.find((r) => r.check === id));
  const answers = main.flatMap((r) => r?.evidence ?? []).filter((e) => e.status !== undefined);
  const every404 = main.every(Boolean) && answers.length > 0 && answers.every((e) => e.status === 404);
  if (known && !every404) return undefined;
  const what = probes.length ? `${probes.map((r) => r.check).join(', ')} found no API serving it` : `${refused.length} check(s) found no API serving it`;
  if (every404) return `${what}, every probe a bare 404): is the id right, and the --endpoint path?`;
  // A run that did not probe every API cannot tell a typo from a model served only by another API.
  const unasked = API_PROBES.filter((_, i) => !main[i]);
  return `${what}${unasked.length ? `; not seen: ${unasked.join(', ')} (--checks 'api.*' probes every API)` : ''}): is the id right?`;
}

/**
 * What a model's cells were instead of observations: `4 of 6 cells are errors (HARNESS_TIMEOUT), 2 inconclusive (...)`;
 * cells of checks that need no model (the endpoint's list, error bodies) are counted as such.
 */
function unobservedCells(results: readonly MatrixResult[]): string {
  const errors = results.filter((r) => r.status === 'error');
  const inconclusive = results.filter((r) => r.status === 'inconclusive').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const unsupported = results.filter((r) => r.status === 'unsupported' && !ASKS_NO_MODEL.test(r.check)).length;
  const withoutModel = results.length - errors.length - inconclusive - skipped - unsupported;
  if (skipped === results.length) return `all ${results.length} cells were skipped`;
  const codes = errorCodes(errors);
  const parts = [
    errors.length ? `${errors.length} of ${results.length} cells are errors${codes.length ? ` (${codes.join(', ')})` : ''}` : '',
    inconclusive ? `${inconclusive}${errors.length ? '' : ` of ${results.length} cells`} inconclusive (the model's output budget or its choices hid what the checks look for)` : '',
    skipped ? `${skipped} skipped` : '',
    unsupported ? `${unsupported} of APIs that do not serve it (unsupported)` : '',
    withoutModel ? `${withoutModel} from checks that need no model (errors.*, models.*, headers.*, schema.error)` : '',
  ];
  return parts.filter(Boolean).join(', ');
}
