/**
 * @module checks/shape
 * The structural fingerprint of one exchange's answer: the JSON paths of its body with their JSON types (numbers by
 * lexeme: `integer`, `float`, `exponent`), for a stream the sequence of event types and each event's paths, and the
 * set of response header names. Values never enter it, only structure, so two answers to the same request have the
 * same fingerprint until the endpoint changes what it sends: a field added, one gone, a type changed. Like latency,
 * it is an observation that never gates; `compare` and the history report how it drifts.
 */
import { createHash } from 'node:crypto';
import { bodyText, isLosslessNumber, isRecord, writtenBody } from '../transport/body.ts';
import { isStreamResponse, type Exchange } from '../transport/exchange.ts';
import { sseStream, writtenEventData } from '../transport/sse.ts';

/** A JSON value's type; numbers by their lexeme. */
export type ShapeType = 'object' | 'array' | 'string' | 'boolean' | 'null' | 'integer' | 'float' | 'exponent';

export interface ShapeFingerprint {
  /** The HTTP status of the answer. */
  status: number;
  /** `json` (a JSON body), `sse` (an event stream), `text` (anything else), `empty`. */
  kind: 'json' | 'sse' | 'text' | 'empty';
  /**
   * `path type` for every JSON path of the body (array items as `[]`), sorted; in a stream each event's paths are
   * prefixed by its type: `[response.created] response.id string`.
   */
  paths: string[];
  /** A stream's event types in order, repeats in a row told once (`response.output_text.delta` once for N deltas). */
  events?: string[];
  /** Response header names, lower case, sorted. */
  headers: string[];
  /** Set when the body had more paths (or deeper ones) than a fingerprint keeps. */
  truncated?: true;
}

/** Bounds: a body's structure, not its size, makes a fingerprint; these keep a pathological one small. */
const MAX_PATHS = 400;
const MAX_DEPTH = 12;
const MAX_KEY_CHARS = 64;
const MAX_EVENTS = 200;

/** How a key reads in a path: plain identifiers as they are, anything else quoted and cut. */
function keyPart(key: string, root: boolean): string {
  const cut = key.length > MAX_KEY_CHARS ? `${key.slice(0, MAX_KEY_CHARS)}…` : key;
  return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(cut) ? `${root ? '' : '.'}${cut}` : `[${JSON.stringify(cut)}]`;
}

/**
 * keyPart of the keys seen so far: answers repeat the same few hundred keys in every event of every stream. Bounded,
 * since an endpoint chooses its keys.
 */
const keyParts = new Map<string, string>();
const MAX_KEY_PARTS = 10_000;

function cachedKeyPart(key: string, root: boolean): string {
  const cacheKey = root ? `\u0000${key}` : key;
  let part = keyParts.get(cacheKey);
  if (part === undefined) {
    part = keyPart(key, root);
    if (keyParts.size < MAX_KEY_PARTS) keyParts.set(cacheKey, part);
  }
  return part;
}

function typeOf(value: unknown): ShapeType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isLosslessNumber(value)) return lexemeType(value.value);
  // A plain number (WrittenJson) was written as JSON.stringify writes it.
  if (typeof value === 'number') return lexemeType(JSON.stringify(value));
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return 'object';
}

function lexemeType(lexeme: string): ShapeType {
  return lexeme.includes('e') || lexeme.includes('E') ? 'exponent' : lexeme.includes('.') ? 'float' : 'integer';
}

/**
 * The paths of every answer seen so far, as a tree shared by all fingerprints: a node per path, its text and each
 * `text type` line built once. Answers repeat the same paths in every event of every stream and every model's
 * answer to the same case; a fingerprint walks the tree and collects lines it did not have to build.
 */
interface PathNode {
  /** `prefix path`, as the fingerprint lists it (`$` for the root). */
  readonly text: string;
  /** `text type` per type seen at this node. */
  readonly lines: Partial<Record<ShapeType, string>>;
  /** Children by how their key reads in a path (keyPart), and the items of an array (`[]`). */
  keys?: Map<string, PathNode>;
  items?: PathNode;
}

/**
 * Bounded, since an endpoint chooses its keys and event types (a node's text can be a few hundred characters): past
 * it, new paths get nodes of their own, dropped with their fingerprint. The bundled replay's 6688 answers use 600.
 */
const MAX_SHARED_NODES = 5_000;
/** Nor a long path (deep keys of escaped characters run to thousands): the tree holds at most 5000 x 256 characters and its lines. */
const MAX_SHARED_TEXT = 256;
let sharedNodes = 0;
const roots = new Map<string, PathNode>();

function pathNode(text: string): PathNode {
  return { text, lines: {} };
}

/** A node kept in the shared tree while there is room; a node of this fingerprint only (same text) past it. */
function shared(text: string, keep: (node: PathNode) => void): PathNode {
  const node = pathNode(text);
  if (sharedNodes < MAX_SHARED_NODES && text.length <= MAX_SHARED_TEXT) {
    sharedNodes += 1;
    keep(node);
  }
  return node;
}

function line(node: PathNode, type: ShapeType): string {
  return (node.lines[type] ??= `${node.text} ${type}`);
}

/** Every `prefix path type` of one fingerprint; at most MAX_PATHS of them. */
class PathTree {
  /** The lines, each once (two nodes can read alike: a key `$` reads as the root). */
  readonly lines = new Set<string>();

  get size(): number {
    return this.lines.size;
  }

  root(prefix: string): PathNode {
    return roots.get(prefix) ?? shared(`${prefix}$`, (node) => roots.set(prefix, node));
  }

  /** The node of `part` below `node`; below the root a path starts with the key (`$` only names the root itself). */
  child(node: PathNode, part: string, root: boolean, prefix: string): PathNode {
    return node.keys?.get(part) ?? shared(`${root ? prefix : node.text}${part}`, (next) => (node.keys ??= new Map()).set(part, next));
  }

  items(node: PathNode, root: boolean, prefix: string): PathNode {
    return node.items ?? shared(`${root ? prefix : node.text}[]`, (next) => (node.items = next));
  }

  /** The fingerprint's sorted `paths`. */
  paths(): string[] {
    return [...this.lines].sort();
  }
}

/** Adds `prefix path type` for `value` and everything below it; false when the bounds cut it short. */
function collect(value: unknown, node: PathNode, root: boolean, depth: number, prefix: string, tree: PathTree): boolean {
  if (tree.size >= MAX_PATHS) return false;
  const type = typeOf(value);
  tree.lines.add(line(node, type));
  const object = type === 'object' && isRecord(value);
  if (depth >= MAX_DEPTH && (Array.isArray(value) || object)) return false;
  let complete = true;
  if (Array.isArray(value)) {
    const items = tree.items(node, root, prefix);
    for (const item of value) complete = collect(item, items, false, depth + 1, prefix, tree) && complete;
  } else if (object) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) complete = collect(record[key], tree.child(node, cachedKeyPart(key, root), root, prefix), false, depth + 1, prefix, tree) && complete;
  }
  return complete;
}

/** The type of a stream event: its `event:` name, else the data's `type` or `object`, else `[DONE]` or `data`. */
function eventType(name: string | undefined, data: unknown, raw: string): string {
  if (name) return name.slice(0, MAX_KEY_CHARS);
  if (isRecord(data)) {
    const type = typeof data.type === 'string' ? data.type : typeof data.object === 'string' ? data.object : undefined;
    if (type) return type.slice(0, MAX_KEY_CHARS);
  }
  return raw.trim() === '[DONE]' ? '[DONE]' : 'data';
}

/** The fingerprint of an exchange's answer, or undefined when no answer arrived (a timeout, a reset). */
export function shapeOf(exchange: Exchange): ShapeFingerprint | undefined {
  const response = exchange.response;
  if (!response) return undefined;
  const headers = [...new Set(Object.keys(response.headers).map((h) => h.toLowerCase().slice(0, MAX_KEY_CHARS)))].sort().slice(0, MAX_PATHS);
  const tree = new PathTree();
  let complete = true;
  let kind: ShapeFingerprint['kind'];
  let events: string[] | undefined;
  if (isStreamResponse(response)) {
    kind = 'sse';
    events = [];
    for (const event of sseStream(response).events) {
      const parsed = writtenEventData(event);
      const type = eventType(event.event, parsed.ok ? parsed.value : undefined, event.data);
      if (events.at(-1) !== type) events.push(type);
      if (parsed.ok) {
        const prefix = `[${type}] `;
        complete = collect(parsed.value, tree.root(prefix), true, 0, prefix, tree) && complete;
      } else if (parsed.tooDeep) complete = false;
    }
    if (events.length > MAX_EVENTS) {
      events = events.slice(0, MAX_EVENTS);
      complete = false;
    }
  } else {
    const text = bodyText(response);
    const parsed = text.trim() ? writtenBody(response) : undefined;
    // JSON too deep to read with its lexemes is still JSON, of a shape not walked.
    kind = !parsed ? 'empty' : parsed.ok || parsed.tooDeep ? 'json' : 'text';
    if (parsed?.ok) complete = collect(parsed.value, tree.root(''), true, 0, '', tree);
    else if (parsed?.tooDeep) complete = false;
  }
  return { status: response.status, kind, paths: tree.paths(), ...(events ? { events } : {}), headers, ...(complete && response.truncatedAtBytes === undefined ? {} : { truncated: true as const }) };
}

/** A short id for a fingerprint: the same structure gives the same id in every run and process. */
export function shapeId(fingerprint: ShapeFingerprint): string {
  return idOf(canonicalOf(fingerprint));
}

function canonicalOf(fingerprint: ShapeFingerprint): string {
  return JSON.stringify([fingerprint.status, fingerprint.kind, fingerprint.paths, fingerprint.events ?? null, fingerprint.headers, fingerprint.truncated ?? false]);
}

function idOf(canonical: string): string {
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

/** Where an exchange sits in its case, the same in every run: `case/step prefix` (`probe.chat/main /openai/v1`). */
export function exchangeKey(caseId: string, exchange: Pick<Exchange, 'step' | 'prefix'>): string {
  return `${caseId}/${exchange.step} ${exchange.prefix}`;
}

/** One exchange's fingerprint as a session collects it. */
export interface ShapeSample {
  api: string;
  key: string;
  fingerprint: ShapeFingerprint;
}

/**
 * The fingerprints of a run, each stored once: `exchanges` says, per `target/model`, API and exchange key, which
 * fingerprints the answers had (one, unless trials, polls or a retried bound answered differently).
 */
export interface ShapeTable {
  fingerprints: Record<string, ShapeFingerprint>;
  exchanges: Record<string /* target/model */, Record<string /* api */, Record<string /* exchange key */, string[]>>>;
}

/** The table of a run's fingerprints from each cell's samples, keys sorted so that it does not depend on timing. */
export function shapeTable(samples: ReadonlyMap<string, readonly ShapeSample[]>): ShapeTable {
  const fingerprints: Record<string, ShapeFingerprint> = {};
  const exchanges: ShapeTable['exchanges'] = {};
  // Every model's answers to a case mostly share one structure: each is hashed once.
  const idsOf = new Map<string, string>();
  for (const cell of [...samples.keys()].sort()) {
    const byApi: Record<string, Record<string, string[]>> = {};
    for (const sample of samples.get(cell)!) {
      const canonical = canonicalOf(sample.fingerprint);
      let id = idsOf.get(canonical);
      if (id === undefined) idsOf.set(canonical, (id = idOf(canonical)));
      fingerprints[id] ??= sample.fingerprint;
      const ids = ((byApi[sample.api] ??= {})[sample.key] ??= []);
      if (!ids.includes(id)) ids.push(id);
    }
    if (Object.keys(byApi).length) exchanges[cell] = sortRecord(Object.fromEntries(Object.entries(byApi).map(([api, keys]) => [api, sortRecord(Object.fromEntries(Object.entries(keys).map(([k, ids]) => [k, ids.sort()])))])));
  }
  return { fingerprints: sortRecord(fingerprints), exchanges };
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Several runs' tables as one (the shards or regions of a merge): fingerprints by id, exchanges by key. The keys come
 * from files, so the maps have no prototype: a key named `constructor` would otherwise read Object.prototype's
 * member and the merge would write into it (prototype pollution).
 */
export function mergeShapeTables(tables: readonly ShapeTable[]): ShapeTable | undefined {
  if (tables.length === 0) return undefined;
  const fingerprints: Record<string, ShapeFingerprint> = Object.create(null);
  const exchanges: ShapeTable['exchanges'] = Object.create(null);
  for (const table of tables) {
    for (const [id, fingerprint] of Object.entries(table.fingerprints)) if (!Object.hasOwn(fingerprints, id)) fingerprints[id] = fingerprint;
    for (const [cell, byApi] of Object.entries(table.exchanges)) {
      const into = Object.hasOwn(exchanges, cell) ? exchanges[cell]! : (exchanges[cell] = Object.create(null) as Record<string, Record<string, string[]>>);
      for (const [api, keys] of Object.entries(byApi)) {
        const to = Object.hasOwn(into, api) ? into[api]! : (into[api] = Object.create(null) as Record<string, string[]>);
        for (const [key, ids] of Object.entries(keys)) to[key] = [...new Set([...(Object.hasOwn(to, key) ? to[key]! : []), ...ids])].sort();
      }
    }
  }
  // Plain objects again (Object.fromEntries defines each key as data, whatever its name), as a run's table is.
  const plain = Object.entries(exchanges).map(([cell, byApi]) => [cell, Object.fromEntries(Object.entries(byApi).map(([api, keys]) => [api, Object.fromEntries(Object.entries(keys))]))] as const);
  return { fingerprints: sortRecord(fingerprints), exchanges: sortRecord(Object.fromEntries(plain)) };
}
