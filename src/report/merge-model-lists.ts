/**
 * @module report/merge-model-lists
 * One target's model lists as the inputs of a merge read them (each shard or region job reads the list again, and
 * it may have changed in between), joined into the list a single run would have read had it seen all of them: every
 * id any input listed, every id any refused, and every part any input could not read. Keeping only the first
 * input's would drop a shard's unusable id or unread part, and the merged gate (and its verdict) would depend on the
 * order of the files.
 */
import { NOT_READ_WHOLE, notReadWhole, refusedListing, refusedParts, unusableListed, type ModelListing } from './model-lists.ts';

type Refused = ModelListing['refused'][number];

/** Entries joined by id, the first input's problem kept. */
function byId(lists: readonly Refused[][]): Refused[] {
  return [...new Map(lists.flat().reverse().map((r) => [r.id, r])).values()].reverse();
}

/** What a listing's source says was read (before the part not read, if any). */
const readPart = (source: string) => (notReadWhole({ source }) === undefined ? source : source.slice(0, source.indexOf(`; ${NOT_READ_WHOLE}: `)));

/**
 * How many ids the joined list holds (`listed`, the usable ids): the new ids any input listed, and the catalogued ids
 * any listed. An input's catalog holds `listed - new + notListed` ids; when every input's holds as many (shards judge
 * by one catalog), those the joined list holds are the catalog less the ids no input listed. Else (lists judged by
 * other catalogs) the most any input listed, which the joined list holds at least.
 */
function joinedCount(lists: readonly ModelListing[], fresh: readonly string[], notListed: readonly string[]): number {
  const catalogs = new Set(lists.map((l) => l.listed - l.new.length + l.notListed.length));
  if (catalogs.size === 1) return fresh.length + [...catalogs][0]! - notListed.length;
  return Math.max(...lists.map((l) => l.listed));
}

/** The joined listing of one target's lists, in input order (a single list is returned as it is). */
export function joinModelLists(lists: readonly ModelListing[]): ModelListing {
  const [first] = lists;
  if (lists.length === 1 || lists.every((l) => JSON.stringify(l) === JSON.stringify(first))) return structuredClone(first!);
  const reads = [...new Set(lists.map((l) => readPart(l.source)))].sort();
  const missing = [...new Set(lists.flatMap((l) => notReadWhole(l) ?? []))].sort();
  const fresh = [...new Set(lists.flatMap((l) => l.new))].sort();
  // A catalogued id any input listed is listed: only those no input listed stay (in the first input's order).
  const notListed = first!.notListed.filter((id) => lists.every((l) => l.notListed.includes(id)));
  const parts = lists.map(refusedParts);
  const unusable = byId(parts.map((p) => p.unusable));
  const pastCap = byId(parts.map((p) => p.pastCap));
  // Every input that named all its unusable ids is counted by id; one that counted some unnamed gives at least its count.
  const counts = lists.map((l) => unusableListed(l).count);
  const named = lists.every((l, i) => counts[i] === parts[i]!.unusable.length);
  const count = named ? unusable.length : Math.max(unusable.length, ...counts);
  const refused = refusedListing(unusable, pastCap, count - unusable.length);
  return {
    source: `${reads.join(' and ')}${missing.length ? `; ${NOT_READ_WHOLE}: ${missing.join('; ')}` : ''}`,
    listed: joinedCount(lists, fresh, notListed),
    new: fresh,
    notListed,
    refused: refused.refused,
    // A file from before the count (format 3) says none: its gate counts what `refused` names, as it still does.
    ...(lists.every((l) => l.unusable !== undefined) ? { unusable: refused.unusable } : {}),
  };
}
