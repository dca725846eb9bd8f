/**
 * @module report/json-pieces
 * The text `JSON.stringify(value, null, indent)` gives, made in pieces: the members of objects and runs of the
 * elements of arrays down to `depth` levels come as pieces of their own, so that a report of many megabytes is written without
 * one string (and a copy of it) holding all of it. Below `depth`, and for anything that is not a plain object or an
 * array (a `toJSON`, a class instance), JSON.stringify makes the text.
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
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

export function* jsonPieces(value: unknown, options: JsonPiecesOptions = {}): Generator<string> {
  const indent = options.indent ?? 0;
  const depth = options.depth ?? 2;
  const batch = options.batch ?? 256;
  const pad = (level: number) => (indent ? `\n${' '.repeat(indent * level)}` : '');
  function* at(v: unknown, level: number): Generator<string> {
    if (level < depth && Array.isArray(v) && v.length > 0) {
      // Elements in runs of `batch`, each run stringified as one array whose brackets are cut off.
      for (let i = 0; i < v.length; i += batch) {
        const run = indented(v.slice(i, i + batch), level);
        yield `${i ? ',' : '['}${run.slice(1, run.length - 1 - (indent ? 1 + indent * level : 0))}`;
      }
      yield `${pad(level)}]`;
      return;
    }
    if (level < depth && isPlainObject(v)) {
      const keys = Object.keys(v).filter((k) => !omitted(v[k]));
      if (keys.length > 0) {
        for (const [i, k] of keys.entries()) {
          yield `${i ? ',' : '{'}${pad(level + 1)}${JSON.stringify(k)}${indent ? ': ' : ':'}`;
          yield* at(v[k], level + 1);
        }
        yield `${pad(level)}}`;
        return;
      }
    }
    // Only the top level can be omitted (JSON.stringify(undefined)); members and elements were handled above.
    if (omitted(v)) return;
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
  yield* at(value, 0);
}
