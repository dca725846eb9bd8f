/**
 * @module report/list-says
 * What the endpoint's own model list says of a model the gate found nothing of (report/observed-models.ts): whether
 * the list, read whole, leaves it out, a listed id that names the same model (which vouches for it), and the listed
 * id closest to it for "did you mean" (checks/closest-listed.ts).
 */
import { listedIdsIn, namesListedModel } from '../checks/closest-listed.ts';
import { listedOthers, namesOtherListed, type ListedOthers } from '../checks/listed-names.ts';
import { closest } from '../suite/closest.ts';
import type { MatrixModel, MatrixResult, MatrixTarget } from './matrix.ts';
import { listedOn } from './matrix.ts';
import { notReadWhole } from './model-lists.ts';

/** What the endpoint's own model list says of a model on one target: whether, read whole, it leaves the model out, and its closest listed id. */
export interface ListSays {
  /** The list was read whole (models.listed judged it, or `--models listed` read it all) and does not name the model. */
  unlisted: boolean;
  /** The listed id closest to the model's, for "did you mean": never a name of the model itself. */
  guess?: string;
  /** A listed id that names the same model (another case, a date, an Ollama tag): it vouches for the id, while its answers name no other listed model. */
  same?: string;
  /** With `same`: the list's other models, hashed (checks/listed-names.ts); absent in a matrix.json written before them. */
  others?: ListedOthers;
}

/**
 * Whether a models.listed cell read the list on every prefix: each answer a list (a 2xx its reason counts the models
 * of), or no list there: a 404 or 405, or API Gateway's 403 "Missing Authentication Token", what it answers for a path
 * it does not have (/openai/v1/models behind a gateway that serves /v1). Any other 401 or 403, a 2xx with no list, a
 * 429 or 5xx, or no answer leaves that prefix's list unread, as the lister says (model-lists.ts notReadWhole): a model
 * there is not known to be absent. The gateway's words are read from the excerpt, all the evidence keeps of them.
 */
function readWhole(cell: MatrixResult): boolean {
  return cell.evidence.every((e) => {
    if (e.error || e.status === undefined) return false;
    if (e.status === 404 || e.status === 405) return true;
    if (e.status === 403) return /missing authentication token/i.test(e.excerpt ?? '');
    const path = e.request.slice(e.request.indexOf(' ') + 1);
    return e.status >= 200 && e.status < 300 && cell.reason.split(/; |\) /).some((part) => part.startsWith(`${path}: `) && /^\d+ models\b/.test(part.slice(path.length + 2)));
  });
}

/**
 * The list as the run read it: the models.listed cell (judged `not-listed` only on a list that answered without the
 * model and said no more pages; an answer that failed on another prefix leaves part of it unread), or the target's
 * listing (`--models listed`: its new ids; a catalog id is the catalog's "did you mean"). A listed id that names the
 * same model (the cell says so; a guess of a matrix.json written before it did may be one) is no "did you mean". The
 * ids named are read only from a cell the harness judged `not-listed`, from its own clause at the end of the reason
 * (closest-listed.ts listedIdsIn): a cell in error quotes the endpoint's words, which never name a listed id.
 */
export function listSays(results: readonly MatrixResult[], target: Pick<MatrixTarget, 'modelList'> | undefined, model: string, info: MatrixModel | undefined, runModels: readonly MatrixModel[] = []): ListSays {
  const found = results.find((r) => r.check === 'models.listed');
  const cell = found?.observed === 'not-listed' && (found.status === 'pass' || found.status === 'fail') ? found : undefined;
  const byCell = cell !== undefined && readWhole(cell);
  const list = target?.modelList;
  const fromListing = list && info && !listedOn({ modelList: list }, info) ? list.new : [];
  const byListing = info !== undefined && list !== undefined && notReadWhole(list) === undefined && !listedOn({ modelList: list }, info);
  const named = cell ? listedIdsIn(cell.reason) : {};
  const unlisted = byCell || byListing;
  if (named.same) return { unlisted, same: named.same, ...(cell?.listedOthers ? { others: cell.listedOthers } : {}) };
  const same = [...(named.guess ? [named.guess] : []), ...fromListing].find((id) => namesListedModel(model, id));
  if (same && list && same !== named.guess) {
    // The listing's ids are the run's models (every listed id runs with `--models listed`) and its new ones.
    const ids = [...new Set([...list.new, ...runModels.filter((m) => m.inCatalog && listedOn({ modelList: list }, m)).map((m) => m.id)])];
    const others = listedOthers(ids, (id) => namesListedModel(model, id));
    return { unlisted, same, others: notReadWhole(list) === undefined ? others : { ...others, hashed: 0, ids: Math.max(1, others.ids) } };
  }
  if (same) return { unlisted, same };
  const guess = named.guess ?? (info ? closest(info.id, fromListing) : undefined);
  return { unlisted, ...(guess ? { guess } : {}) };
}

/**
 * Whether the same-model listed id's vouch fails for answers in these other names: one is a name of another model
 * the list holds (a gateway's default answering every id), or that cannot be told (the list hashed in part, or a
 * matrix.json written before the hashes). A name the list does not hold (`/models/Qwen3-32B-AWQ`, an Azure
 * deployment's) is the served model's: the vouch holds.
 */
export function vouchFails(listed: ListSays, names: readonly string[]): boolean {
  if (listed.same === undefined) return true;
  const others = listed.others;
  return names.some((name) => (others ? namesOtherListed(others, name) !== false : true));
}

/** `; "bb" is not in the catalog: did you mean "b" (listed by the endpoint)?`, for an id not in the catalog. */
export function idHint(model: string, info: MatrixModel | undefined, listed: ListSays): string {
  if (!info || info.inCatalog) return '';
  // With no other guess, the listed name of the same model is the fix (`Qwen3-32B` where vLLM serves `qwen3-32b`).
  const near = listed.guess ?? listed.same;
  const guesses = [near ? `"${near}" (listed by the endpoint)` : '', info.suggestion && info.suggestion !== near ? `"${info.suggestion}"${near ? ' (in the catalog)' : ''}` : ''].filter(Boolean);
  return `; "${model}" is not in the catalog${guesses.length ? `: did you mean ${guesses.join(' or ')}?` : ''}`;
}
