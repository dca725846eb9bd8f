/**
 * @module report/json-pieces
 * The text `JSON.stringify(value, null, indent)` gives, made in pieces: the members of objects and runs of the
 * elements of arrays down to `depth` levels come as pieces of their own, so that a report of many megabytes is written without
 * one string (and a copy of it) holding all of it. Below `depth`, and for anything that is not a plain object or an
 * array (a class instance, a boxed value), JSON.stringify makes the text. A `toJSON` is called with its key, as
 * JSON.stringify calls it; one exception: a `toJSON` whose result has a `toJSON` of its own has that one called too.
 */

export interface JsonPiecesOptions {
  /** Spaces per level, as JSON.stringify's third argument; 0 (the default) for compact JSON. */
  indent?: number;
  /**
   * How many levels are split: an object's members are pieces of their own, an array's elements come `batch` at a
   * time; deeper values are stringified whole. Default 2.
   */
  depth?: number;
  /** Array elements per piece. Default 256. */
  batch?: number;
}

const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What JSON.stringify serializes for `v` at `key`: its `toJSON(key)` when it has one (objects, bigints). */
function resolve(v: unknown, key: string): unknown {
  if (v !== null && (typeof v === 'object' || typeof v === 'bigint')) {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return (toJSON as (key: string) => unknown).call(v, key);
  }
  return v;
}

export function* jsonPieces(value: unknown, options: JsonPiecesOptions = {}): Generator<string> {
  // As JSON.stringify reads its third argument: whole spaces, at most 10, none below 1.
  const spaces = Math.trunc(options.indent ?? 0);
  const indent = spaces >= 1 ? Math.min(10, spaces) : 0;
  const depth = options.depth ?? 2;
  const runLength = Math.trunc(options.batch ?? 256);
  const batch = runLength >= 1 ? runLength : 1;
  const pad = (level: number) => (indent ? `\n${' '.repeat(indent * level)}` : '');
  /** The pieces of `v`, whose own toJSON its holder has applied already. */
  function* at(v: unknown, level: number): Generator<string> {
    if (level < depth && Array.isArray(v) && v.length > 0) {
      // Elements in runs of `batch`, each run stringified as one array whose closing bracket is cut off; each
      // element's toJSON is given its own index, as JSON.stringify gives it. A run after the first is stringified
      // behind a null that is cut off with the bracket, so that the comma before it comes from JSON.stringify
      // too: each piece is one slice of one string, which is written as it is (a comma put in front would make
      // a rope, which has to be copied whole before it can be written).
      const close = 1 + (indent ? 1 + indent * level : 0);
      for (let i = 0; i < v.length; i += batch) {
        const end = Math.min(i + batch, v.length);
        const run: unknown[] = i ? [null] : [];
        for (let j = i; j < end; j++) run.push(resolve(v[j], String(j)));
        const text = indented(run, level);
        // `[`, then for a later run the null's line break, indent and `null`, cut off.
        const start = i ? 5 + (indent ? 1 + indent * (level + 1) : 0) : 0;
        yield text.slice(start, text.length - close);
      }
      yield `${pad(level)}]`;
      return;
    }
    if (level < depth && isPlainObject(v)) {
      const members = Object.keys(v)
        .map((k) => [k, resolve(v[k], k)] as const)
        .filter(([, member]) => !omitted(member));
      if (members.length > 0) {
        for (const [i, [k, member]] of members.entries()) {
          yield `${i ? ',' : '{'}${pad(level + 1)}${JSON.stringify(k)}${indent ? ': ' : ':'}`;
          yield* at(member, level + 1);
        }
        yield `${pad(level)}}`;
        return;
      }
    }
    yield indented(v, level);
  }
  /** JSON.stringify's text of `v` as it reads `level` levels deep: stringified inside as many arrays, which are cut off. */
  function indented(v: unknown, level: number): string {
    if (!indent || level === 0) return JSON.stringify(v, null, indent);
    let wrapped: unknown = v;
    let head = 0;
    for (let i = 0; i < level; i++) {
      wrapped = [wrapped];
      head += 2 + indent * (i + 1);
    }
    const text = JSON.stringify(wrapped, null, indent);
    return text.slice(head, text.length - (head - level * indent));
  }
  const top = resolve(value, '');
  // JSON.stringify(undefined) is no text at all.
  if (!omitted(top)) yield* at(top, 0);
}
