/**
 * @module report/model-lists
 * What the targets' model lists said (`--models listed`), in the words every report uses: the new models (listed,
 * not in the catalog: tested with no stated expectations, every cell informational) and, per target (surface and
 * region), the catalogued models it did not list and the ids it listed that the harness refused to use.
 */
import { inertLine } from './inert-text.ts';
import type { GateProblem, Matrix } from './matrix.ts';

/** A target's model list against the catalog (`--models listed`). */
export interface ModelListing {
  /** Where the list was read (`GET /openai/v1/models`), or why it could not be. */
  source: string;
  /** How many ids the list held. */
  listed: number;
  /** Listed ids the catalog does not have: tested with no stated expectations. */
  new: string[];
  /** Catalog ids the list does not hold. */
  notListed: string[];
  /** Listed ids that are not acceptable model ids (src/names.ts), then those past the cap: reported, never used. */
  refused: { id: string; problem: string }[];
  /** How many listed ids src/names.ts refused, also past those `refused` names (the cap's not counted); absent before format 4. */
  unusable?: number;
}

/** The note every report carries for a model found on a model list and not in the catalog. */
export const NEW_MODEL_NOTE = 'new model: listed by the endpoint, not in the catalog; no stated expectations, every cell informational';

/** Ids of the run's new models, in matrix order. */
export function newModels(matrix: Matrix): string[] {
  return matrix.models.filter((m) => m.discovered).map((m) => m.id);
}

/**
 * Catalogued ids a list line names before it counts the rest: a server that is not Mantle (vLLM, Ollama) lists none
 * of the catalog's dozens of ids, and a line naming them all buries the few it did list. matrix.json keeps them all.
 */
const NOT_LISTED_NAMED = 12;
/** New ids a list line names (a gateway can list hundreds): each is a model of the run, in every report's grid. */
const NEW_NAMED = 30;

function namedUpTo(ids: readonly string[], most: number, field: 'new' | 'notListed' = 'notListed'): string {
  if (ids.length <= most) return ids.join(', ');
  return `${ids.slice(0, most).join(', ')} and ${ids.length - most} more (all in matrix.json, targets[].modelList.${field})`;
}

/** One plain line per target that read its model list: how many, new, not listed, refused. Ids are run data: callers neutralise them. */
export function modelListLines(matrix: Matrix): string[] {
  return matrix.targets.flatMap((t) => {
    const l = t.modelList;
    if (!l) return [];
    const parts = [`${l.listed} listed (${l.source})`];
    // A list not read whole may hold a new id on the part not read: "nothing new" would claim what was not seen.
    parts.push(l.new.length ? `new: ${namedUpTo(l.new, NEW_NAMED, 'new')}` : notReadWhole(l) ? 'nothing new on the part read' : 'nothing new');
    if (l.notListed.length) parts.push(`in the catalog but not listed${notReadWhole(l) ? ' on the part read' : ''}: ${namedUpTo(l.notListed, NOT_LISTED_NAMED)}`);
    parts.push(...refusedSaid(l));
    return [`${t.id} (${t.surface ?? 'mantle'}${t.region ? `, ${t.region}` : ''}): ${parts.join('; ')}`];
  });
}

/**
 * What a listing's source says after it when the harness could not read the list whole (a prefix that failed, a
 * page it could not follow, a cap): the matrix keeps it in `source`, so every report shows it with the list.
 */
export const NOT_READ_WHOLE = 'not read whole';

/** The part of a target's model list the harness could not read, as its source says it; undefined when read whole. */
export function notReadWhole(listing: { source: string } | undefined): string | undefined {
  const at = listing?.source.indexOf(`; ${NOT_READ_WHOLE}: `) ?? -1;
  return at < 0 ? undefined : listing!.source.slice(at + NOT_READ_WHOLE.length + 4);
}

/**
 * The targets whose model list was read in part, with the part not read: a partial run as the gate reads it, whatever
 * run.partial says (the gate, compare and the capability table each say so of it).
 */
export function unreadModelLists(targets: readonly { id: string; modelList?: { source: string } | undefined }[]): { target: string; missing: string }[] {
  return targets.flatMap((t) => {
    const missing = notReadWhole(t.modelList);
    return missing ? [{ target: t.id, missing }] : [];
  });
}

/** What a listed id past the cap is refused with (cli/model-lists.ts): the list is then not read whole (unreadModelLists). */
export const pastCapProblem = (max: number): string => `more than ${max} ids listed`;
const PAST_CAP = /^more than (\d+) ids listed$/;
/** How many refused ids a listing names one by one; an entry after them counts the rest (moreRefused). */
export const REFUSED_NAMED = 49;
const MORE = /^and (\d+) more id\(s\) refused, not named one by one$/;
export const moreRefused = (count: number): ModelListing['refused'][number] => ({ id: '...', problem: `and ${count} more id(s) refused, not named one by one` });

type Refused = ModelListing['refused'][number];
const isMore = (r: Refused) => r.id === '...' && MORE.test(r.problem);
/** How many refused ids a listing counts without naming them (its "and N more" entry; refusedListing writes one at most). */
const moreCount = (listing: Pick<ModelListing, 'refused'>): number => {
  const more = listing.refused.find(isMore);
  return more ? Number(MORE.exec(more.problem)![1]) : 0;
};

/** A listing's named refused entries, apart: ids src/names.ts refused (unusable), and ids past the cap. */
export function refusedParts(listing: Pick<ModelListing, 'refused'>): { unusable: Refused[]; pastCap: Refused[] } {
  const named = listing.refused.filter((r) => !isMore(r));
  return { unusable: named.filter((r) => !PAST_CAP.test(r.problem)), pastCap: named.filter((r) => PAST_CAP.test(r.problem)) };
}

/**
 * A listing's `refused` and `unusable` as a list read writes them (cli/model-lists.ts) and a merge joins them
 * (merge-model-lists.ts): the ids refused as model ids, then those past the cap, named up to REFUSED_NAMED and the
 * rest counted in one entry; `unnamed` more unusable ids known only by count (a merge of lists that counted some).
 */
export function refusedListing(unusable: readonly Refused[], pastCap: readonly Refused[], unnamed = 0): Pick<ModelListing, 'refused' | 'unusable'> {
  const all = [...unusable, ...pastCap];
  const total = all.length + unnamed;
  if (unnamed === 0 && total <= REFUSED_NAMED + 1) return { refused: all, unusable: unusable.length };
  const named = all.slice(0, REFUSED_NAMED);
  return { refused: [...named, moreRefused(total - named.length)], unusable: unusable.length + unnamed };
}

/**
 * What `unusable` may be beside the `refused` a file names (the rule refusedListing writes by): at least the ids it
 * names as refused model ids, at most those and the ones its "more" entry counts. A count outside was edited: a 0
 * beside a named `../bad` would pass a gate the run failed.
 */
export function unusableRange(listing: Pick<ModelListing, 'refused'>): { least: number; most: number } {
  const least = refusedParts(listing).unusable.length;
  return { least, most: least + moreCount(listing) };
}

/**
 * The ids a target listed that src/names.ts refused as model ids, which no cell tested: how many, and those named.
 * Ids past the cap are left out: the list is then not read whole, which the gate already fails as partial. A file
 * written before `unusable` was counted (format 3) gives what it names, and the entry counting the rest when no id
 * was past the cap (then all of them are unusable).
 */
export function unusableListed(listing: ModelListing): { count: number; named: string[] } {
  const { unusable, pastCap } = refusedParts(listing);
  const named = unusable.map((r) => r.id);
  return { count: listing.unusable ?? named.length + (pastCap.length === 0 ? moreCount(listing) : 0), named };
}

/** How many refused ids a gate problem names before it counts the rest. */
const UNUSABLE_NAMED = 3;

/**
 * Per target whose list held ids the harness cannot use as model ids: `target T listed N id(s) the harness cannot
 * use as model ids ("a", "b", "c" and N more)`, a few named and the rest counted, as the gate and the capability
 * table both say it. Ids are endpoint text: inert.
 */
export function unusableListedLines(targets: Matrix['targets']): { target: string; line: string }[] {
  return targets.flatMap((t) => {
    if (!t.modelList) return [];
    const { count, named } = unusableListed(t.modelList);
    if (count === 0) return [];
    const shown = named.slice(0, UNUSABLE_NAMED).map((id) => inertLine(JSON.stringify(id), 80));
    const rest = count - shown.length;
    const ids = `${shown.join(', ')}${rest > 0 ? `${shown.length ? ', ' : ''}${shown.length ? `and ${rest} more` : `${rest} not named`}` : ''}`;
    return [{ target: t.id, line: `target ${t.id} listed ${count} id(s) the harness cannot use as model ids (${ids})` }];
  });
}

/**
 * A listing's refused ids told apart, as every output says them: the ids src/names.ts refused (not tested: the gate
 * fails on them), named as `refused` names them with an entry counting the rest, and how many ids past the cap were
 * not read (valid ids: the list was not read whole, the partial rule's). Said as refused model ids, a list of 50 000
 * good ids read as 48 000 bad ones beside `unusable: 0`.
 */
export function refusedApart(listing: ModelListing): { refused: Refused[]; pastCap: number; cap?: number } {
  const { unusable, pastCap } = refusedParts(listing);
  const count = unusableListed(listing).count;
  const total = listing.refused.filter((r) => !isMore(r)).length + moreCount(listing);
  const cap = pastCap[0] ? Number(PAST_CAP.exec(pastCap[0].problem)![1]) : undefined;
  return { refused: count > unusable.length ? [...unusable, moreRefused(count - unusable.length)] : unusable, pastCap: Math.max(0, total - count), ...(cap ? { cap } : {}) };
}

/** The parts of a list line (this module's, `catalog diff`'s) that say a listing's refused ids and the ids past the cap apart. */
export function refusedSaid(listing: ModelListing): string[] {
  const apart = refusedApart(listing);
  return [
    ...(apart.refused.length ? [`refused (not a usable model id): ${apart.refused.map((r) => `${JSON.stringify(r.id)} (${r.problem})`).join(', ')}`] : []),
    ...(apart.pastCap ? [`not read: ${apart.pastCap} id(s) past the ${apart.cap ? `${apart.cap}-id ` : ''}cap (valid ids, not used: a new model may be among them)`] : []),
  ];
}

/**
 * A gate problem per target whose list held ids the harness cannot use as model ids: `--models listed` promises every
 * listed id, and these were not tested, so the run did not observe what it was asked to.
 */
export function unusableListedProblems(targets: Matrix['targets']): GateProblem[] {
  return unusableListedLines(targets).map(({ target, line }) => ({ kind: 'unusable-listed-ids', target, message: `${line}: they were not tested; to test the others with a passing gate, name them with --models` }));
}
