/**
 * @module cli/known-fields
 * What the harness knows of a document it has validated: the members its schema names, and nothing else. A file
 * from elsewhere may carry keys this version has no name for (a newer version's optional field, or an attacker's
 * megabytes of nesting); what is not named is not copied into the reports written from it, whose size and shape
 * then follow from the schema, not from the file.
 */
import { displayPath, type PathSegment } from '../json-path.ts';

/** The part of a JSON Schema (as TypeBox writes it) that says which members an object has. */
interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode | SchemaNode[];
  anyOf?: SchemaNode[];
}

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Whether `value` has the JSON type `schema` asks for; a schema that names no type (a nested union) may fit. */
function fits(schema: SchemaNode, value: unknown): boolean {
  if (schema.anyOf) return schema.anyOf.some((s) => fits(s, value));
  if (typeof schema.type !== 'string') return true;
  const type = typeOf(value);
  return schema.type === type || (type === 'number' && schema.type === 'integer');
}

/** The members a copy left out: the JSON paths of the first PATHS_KEPT, and how many in all. */
export interface LeftOut {
  paths: PathSegment[][];
  count: number;
}

/** Paths a LeftOut keeps: a few derived members and a newer version's fields, never a file's worth of keys. */
const PATHS_KEPT = 100;

/**
 * What of `leftOut` `written` (the document as it would be written again) has no value for, the JSON paths as text:
 * a member the writer derives again (the gate's verdict and problems) is not lost; a newer version's field is.
 * Paths past the ones kept are counted as lost: they are not known to be there.
 */
export function lostFrom(leftOut: LeftOut, written: unknown): { paths: string[]; count: number } {
  const lost = leftOut.paths.filter((path) => !has(written, path));
  return { paths: lost.slice(0, 10).map(displayPath), count: lost.length + leftOut.count - leftOut.paths.length };
}

function has(value: unknown, path: readonly PathSegment[]): boolean {
  let at = value;
  for (const segment of path) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, segment)) return false;
    at = (at as Record<PathSegment, unknown>)[segment];
  }
  return at !== undefined;
}

/**
 * A copy of `value`, which has passed validation against `schema`, with every object member the schema does not
 * name left out (a map's keys, `additionalProperties` with a schema, are all named). It recurses along the schema,
 * never deeper than the schema goes, so the nesting of the file cannot make it overflow the stack. `leftOut`, when
 * given, is told what was left out: `report` writing its input again would drop it, and says so instead.
 */
export function knownFields(value: unknown, schema: object, leftOut?: LeftOut): unknown {
  return keep(value, schema as SchemaNode, [], leftOut);
}

/** `step`'s value, with `segment` on the path `at` while it runs (only when a LeftOut wants paths: no cost else). */
function within<T>(at: PathSegment[], segment: PathSegment, leftOut: LeftOut | undefined, step: () => T): T {
  if (!leftOut) return step();
  at.push(segment);
  try {
    return step();
  } finally {
    at.pop();
  }
}

function keep(value: unknown, schema: SchemaNode, at: PathSegment[], leftOut: LeftOut | undefined): unknown {
  if (schema.anyOf) {
    // Validation passed, so a branch fits; the matrix schema has no union of two object (or two array) shapes, so
    // the first that fits is the one.
    const branch = schema.anyOf.find((s) => fits(s, value));
    return branch ? keep(value, branch, at, leftOut) : value;
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    return items && !Array.isArray(items) ? value.map((v, i) => within(at, i, leftOut, () => keep(v, items, at, leftOut))) : value;
  }
  if (value === null || typeof value !== 'object') return value;
  const { properties, additionalProperties: rest } = schema;
  // An object schema that names nothing (`{}`) says nothing of its members: kept as it is.
  if (!properties && rest === undefined) return value;
  const kept: [string, unknown][] = [];
  for (const [key, member] of Object.entries(value)) {
    const known = properties && Object.hasOwn(properties, key) ? properties[key] : typeof rest === 'object' ? rest : undefined;
    if (known) kept.push([key, within(at, key, leftOut, () => keep(member, known, at, leftOut))]);
    else if (rest === true) kept.push([key, member]);
    else if (leftOut && leftOut.count++ < PATHS_KEPT) leftOut.paths.push([...at, key]);
  }
  // fromEntries defines each key as its own member: no key (`__proto__`) can become a prototype.
  return Object.fromEntries(kept);
}
