/**
 * @module checks/listed-names
 * The other models an endpoint's list holds, kept for the gate when the list names the model asked for only as a
 * listed id of the same model (checks/closest-listed.ts): that id vouches for the asked one only while its answers'
 * other names are not names of another listed model (a gateway's default answering every id is one). The gate
 * reads the answers' names from the other cells (report/list-says.ts), so the list goes into the models.listed cell,
 * as hashes of the names the ids go by (answered-by.ts modelNames): no endpoint text, a fixed size a name, bounded.
 */
import { createHash } from 'node:crypto';
import { modelNames } from './answered-by.ts';

/** The other listed models of a models.listed cell, hashed. */
export interface ListedOthers {
  /** How many listed ids name another model than the one asked for. */
  ids: number;
  /** How many of them are hashed into `names` (all but past MAX_IDS): fewer means an answer's name may be unlisted or not. */
  hashed: number;
  /** The hashes of the names those ids go by, HASH_CHARS hex characters each, sorted, in one string (one JSON value). */
  names: string;
}

/** Hex characters a hash keeps: 32 bits, so a name of 4096 ids' (8192 names) matches by chance once in half a million. */
const HASH_CHARS = 8;
/** The most ids hashed: 64 KiB of a cell at most, for a list longer than any a gateway has been seen to give. */
export const MAX_IDS = 4096;

const hashOf = (name: string): string => createHash('sha256').update(name).digest('hex').slice(0, HASH_CHARS);

/** An Ollama tag (`:7b`, `:8b-instruct-q4`), not a Bedrock version (`:0`, which modelNames reads as a release). */
const TAG = /:(?!\d+$)[A-Za-z0-9._-]{1,64}$/;

/**
 * The names a listed id goes by, its untagged name too: Ollama answers `mistral:7b`'s requests as `mistral` (the
 * asked id's own tags are never among the others: namesListedModel keeps them out).
 */
function namesOf(id: string): string[] {
  return TAG.test(id) ? [...modelNames(id), ...modelNames(id.replace(TAG, ''))] : modelNames(id);
}

/** The listed ids that name another model than `model` (`sameModel` says which name it), hashed. */
export function listedOthers(ids: readonly string[], sameModel: (id: string) => boolean): ListedOthers {
  const others = [...new Set(ids)].filter((id) => !sameModel(id));
  const kept = others.slice(0, MAX_IDS);
  // A name the model's own listed ids go by is its own, whoever else shares it (`mistral` of `mistral:7b`, asked as
  // `Mistral:7B`, beside a listed `mistral:instruct`).
  const own = new Set(ids.filter(sameModel).flatMap((id) => namesOf(id).map(hashOf)));
  const names = [...new Set(kept.flatMap((id) => namesOf(id).map(hashOf)))].filter((hash) => !own.has(hash)).sort();
  return { ids: others.length, hashed: kept.length, names: names.join('') };
}

/**
 * Whether `name`, the model an answer names, is a name of another listed model: `true` when one of the names it goes
 * by is one of theirs, `false` when none is and every such id was hashed, undefined when the list was hashed in part.
 */
export function namesOtherListed(others: ListedOthers, name: string): boolean | undefined {
  const hashes = new Set(others.names.match(new RegExp(`.{${HASH_CHARS}}`, 'g')) ?? []);
  if (modelNames(name).some((n) => hashes.has(hashOf(n)))) return true;
  return others.hashed < others.ids ? undefined : false;
}

/** The field as a matrix.json read back holds it, if it is one this module writes (hex hashes, counts that agree). */
export function readListedOthers(value: unknown): ListedOthers | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { ids, hashed, names } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(ids) || !Number.isSafeInteger(hashed) || typeof names !== 'string') return undefined;
  const fits = (hashed as number) >= 0 && (hashed as number) <= Math.min(ids as number, MAX_IDS) && names.length <= 4 * MAX_IDS * HASH_CHARS;
  return fits && new RegExp(`^(?:[0-9a-f]{${HASH_CHARS}})*$`).test(names) ? { ids: ids as number, hashed: hashed as number, names } : undefined;
}
