/**
 * @module report/list-says
 * What the endpoint's own model list says of a model the gate found nothing of (report/observed-models.ts): whether
 * the list, read whole, leaves it out, a listed id that names the same model (which vouches for it), and the listed
 * id closest to it for "did you mean" (checks/closest-listed.ts).
 */
import { closestListedIn, namesListedModel, sameListedIn } from '../checks/closest-listed.ts';
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
  /** A listed id that names the same model (another case, a date, an Ollama tag): it vouches for the id. */
  same?: string;
}

/**
 * Whether a models.listed cell read the list on every prefix: each answer a list (a 2xx its reason counts the models
 * of) or a 404 or 405 (no list there). A 401 or 403, a 2xx with no list, a 429 or 5xx, or no answer leaves that
 * prefix's list unread, as the lister says (model-lists.ts notReadWhole): a model there is not known to be absent.
 */
function readWhole(cell: MatrixResult): boolean {
  return cell.evidence.every((e) => {
    if (e.error || e.status === undefined) return false;
    if (e.status === 404 || e.status === 405) return true;
    const path = e.request.slice(e.request.indexOf(' ') + 1);
    return e.status >= 200 && e.status < 300 && cell.reason.split(/; |\) /).some((part) => part.startsWith(`${path}: `) && /^\d+ models\b/.test(part.slice(path.length + 2)));
  });
}

/**
 * The list as the run read it: the models.listed cell (judged `not-listed` only on a list that answered without the
 * model and said no more pages; an answer that failed on another prefix leaves part of it unread), or the target's
 * listing (`--models listed`: its new ids; a catalog id is the catalog's "did you mean"). A listed id that names the
 * same model (the cell says so; a guess of a matrix.json written before it did may be one) is no "did you mean".
 */
export function listSays(results: readonly MatrixResult[], target: Pick<MatrixTarget, 'modelList'> | undefined, model: string, info: MatrixModel | undefined): ListSays {
  const cell = results.find((r) => r.check === 'models.listed');
  const byCell = cell?.observed === 'not-listed' && readWhole(cell);
  const list = target?.modelList;
  const fromListing = list && info && !listedOn({ modelList: list }, info) ? list.new : [];
  const byListing = info !== undefined && list !== undefined && notReadWhole(list) === undefined && !listedOn({ modelList: list }, info);
  const named = cell ? closestListedIn(cell.reason) : undefined;
  const same = (cell ? sameListedIn(cell.reason) : undefined) ?? [...(named ? [named] : []), ...fromListing].find((id) => namesListedModel(model, id));
  if (same) return { unlisted: false, same };
  const guess = named ?? (info ? closest(info.id, fromListing) : undefined);
  return { unlisted: byCell || byListing, ...(guess ? { guess } : {}) };
}

/** `; "bb" is not in the catalog: did you mean "b" (listed by the endpoint)?`, for an id not in the catalog. */
export function idHint(model: string, info: MatrixModel | undefined, listed: ListSays): string {
  if (!info || info.inCatalog) return '';
  const guesses = [listed.guess ? `"${listed.guess}" (listed by the endpoint)` : '', info.suggestion && info.suggestion !== listed.guess ? `"${info.suggestion}"${listed.guess ? ' (in the catalog)' : ''}` : ''].filter(Boolean);
  return `; "${model}" is not in the catalog${guesses.length ? `: did you mean ${guesses.join(' or ')}?` : ''}`;
}
