/**
 * @module suite/ajv-messages
 * Turns ajv's errors into one located, readable line per mistake. ajv reports every branch of a union that failed
 * ("must be a string", "must be a number", ... "must match a schema in anyOf"); a user made one mistake, so a
 * union's errors are cut down to the branch that fits the value's type, or to one line listing what would fit.
 */
import type { ErrorObject } from 'ajv';
import { displayPath, pathOf, type PathSegment } from '../json-path.ts';
import { mayBeSecret } from '../key-shapes.ts';
import { quoted } from './withheld-values.ts';

/** Where a value is in the file (`file:line:col`); `key: true` points at the key. */
export interface Locator {
  readonly data: unknown;
  locate(path: readonly PathSegment[], options?: { key?: boolean }): string;
}

/** The known value `got` (a key or a value at `path`) most likely means, for "did you mean". */
export type Suggest = (path: readonly PathSegment[], got: string) => string | undefined;

/** One line per mistake, in ajv's order. */
export function describeAjvErrors(source: Locator, errors: readonly ErrorObject[], suggest?: Suggest): string[] {
  return [...new Set(collapseUnions(source.data, errors).map((e) => describeAjvError(source, e, suggest)))];
}

type SchemaNode = { type?: string | string[]; anyOf?: unknown[]; oneOf?: unknown[]; errorMessage?: unknown; properties?: Record<string, unknown>; 'x-keys'?: unknown };

function node(schema: unknown): SchemaNode {
  return schema !== null && typeof schema === 'object' ? (schema as SchemaNode) : {};
}

/**
 * Drops the errors of every union branch but one: the branch that takes the value's type (of several, the one with
 * the fewest errors), whose own errors then say what is wrong. When no branch takes the type, the union's own
 * error stays alone, and reads as the list of types that would fit. A union with an `errorMessage` keeps only that.
 */
function collapseUnions(data: unknown, errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const isUnion = (e: ErrorObject) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && Array.isArray(e.schema) && !(e.params as { passingSchemas?: unknown }).passingSchemas;
  // Outer unions first: a branch they drop takes its nested unions with it.
  const unions = errors.filter(isUnion).sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (dropped.has(union)) continue;
    const branches = union.schema as unknown[];
    // The same schema checks every entry of a map: a branch's errors are those at this value or below it.
    const below = (e: ErrorObject) => e.instancePath === union.instancePath || e.instancePath.startsWith(`${union.instancePath}/`);
    const inside = (i: number) => errors.filter((e) => !dropped.has(e) && below(e) && e.schemaPath.startsWith(`${union.schemaPath}/${i}/`));
    const dropBranch = (i: number) => inside(i).forEach((e) => dropped.add(e));
    const value = valueAt(data, pathOf(union.instancePath));
    const fitting = branches.map((_, i) => i).filter((i) => acceptsType(branches[i], value));
    if (typeof node(union.parentSchema).errorMessage === 'string' || fitting.length === 0) {
      branches.forEach((_, i) => dropBranch(i));
      continue;
    }
    const best = fitting.reduce((a, b) => (inside(b).length < inside(a).length ? b : a));
    branches.forEach((_, i) => i !== best && dropBranch(i));
    dropped.add(union);
  }
  return errors.filter((e) => !dropped.has(e));
}

/** Whether `schema` takes a value of `value`'s JSON type (its other rules aside). */
function acceptsType(schema: unknown, value: unknown): boolean {
  const { type, anyOf, oneOf } = node(schema);
  if (type !== undefined && ![type].flat().some((t) => typeMatches(t, value))) return false;
  const branches = anyOf ?? oneOf;
  return branches ? branches.some((branch) => acceptsType(branch, value)) : true;
}

function typeMatches(type: string, value: unknown): boolean {
  if (type === 'null') return value === null;
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return value !== null && typeof value === 'object' && !Array.isArray(value);
  if (type === 'integer') return Number.isInteger(value);
  return typeof value === type;
}

/** The types `schema` takes, as a message says them ("a string", "null", "a list"). */
function typeWords(schema: unknown): string[] {
  const { type, anyOf, oneOf } = node(schema);
  const words = type === undefined ? [] : [type].flat().map(typeWord);
  return [...new Set([...words, ...(anyOf ?? oneOf ?? []).flatMap(typeWords)])];
}

function typeWord(type: string): string {
  return ({ null: 'null', array: 'a list', object: 'a mapping', boolean: 'true or false' } as Record<string, string>)[type] ?? article(type);
}

function describeAjvError(source: Locator, error: ErrorObject, suggest: Suggest | undefined): string {
  const path = pathOf(error.instancePath);
  const at = displayPath(path);
  const params = error.params as Record<string, unknown>;
  const value = valueAt(source.data, path);
  const parent = node(error.parentSchema);
  const guess = (where: readonly PathSegment[], got: unknown) => {
    const said = typeof got === 'string' && !mayBeSecret(got) ? suggest?.(where, got) : undefined;
    return said && said !== got ? ` (did you mean "${said}"?)` : '';
  };
  if (typeof parent.errorMessage === 'string') return `${source.locate(path)} ${at}: ${parent.errorMessage}`;
  const whole = path.length === 0 ? notAMapping(source.data) : undefined;
  if (whole && (error.keyword === 'type' || error.keyword === 'anyOf' || error.keyword === 'oneOf')) return `${source.locate(path)} ${at}: ${whole}`;
  switch (error.keyword) {
    case 'required':
      return `${source.locate(path)} ${at}: missing required field "${String(params.missingProperty)}"`;
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const where = source.locate([...path, key], { key: true });
      if (typeof parent['x-keys'] === 'string') return `${where} ${at}: key ${quoted(key)} is not ${parent['x-keys']}${guess([...path, key], key)}`;
      const allowed = allowedKeys(error);
      return `${where} ${at}: unknown field ${quoted(key)}${allowed ? ` (allowed: ${allowed})` : ''}`;
    }
    case 'anyOf':
    case 'oneOf': {
      const words = typeWords(error.schema === undefined ? {} : { anyOf: error.schema });
      if (words.length > 0) return `${source.locate(path)} ${at}: must be ${orList(words)} (got ${describeValue(value)})`;
      return `${source.locate(path)} ${at}: ${error.message ?? error.keyword}`;
    }
    case 'minItems': {
      const limit = Number(params.limit);
      const count = Array.isArray(value) ? value.length : 0;
      const single = count === 1 && limit === 2 ? '; write one value without [ ]' : '';
      return `${source.locate(path)} ${at}: a list here needs at least ${limit} value${limit === 1 ? '' : 's'} (got ${count})${single}`;
    }
    case 'enum':
      return `${source.locate(path)} ${at}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${quoted(value)})`;
    case 'type':
      return `${source.locate(path)} ${at}: must be ${article(String(params.type))} (got ${describeValue(value)})`;
    case 'pattern':
      return `${source.locate(path)} ${at}: ${quoted(value)} must match ${String(params.pattern)}${guess(path, value)}`;
    default:
      return `${source.locate(path)} ${at}: ${error.message ?? error.keyword}`;
  }
}

function orList(words: readonly string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function allowedKeys(error: ErrorObject): string {
  const props = node(error.parentSchema).properties;
  return props ? Object.keys(props).filter((k) => k !== '$schema').join(', ') : '';
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const seg of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[seg];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' && mayBeSecret(value) ? quoted(value) : `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * What a file whose top level is not a mapping is, without its text: a `.env` or an AWS credentials file read as
 * YAML is one plain text, its keys in it. Undefined for a mapping.
 */
function notAMapping(data: unknown): string | undefined {
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) return undefined;
  const fix = 'is this the right file? (one given by mistake, a .env or a credentials file, is not shown: it may hold secrets)';
  if (Array.isArray(data)) return `the file is a list of ${data.length} ${data.length === 1 ? 'entry' : 'entries'}, not a mapping of fields; ${fix}`;
  if (typeof data === 'string') return `the file is a plain text of ${data.length} characters, not a mapping of fields; ${fix}`;
  return `the file is ${data === null ? 'empty (null)' : `a single ${typeof data}`}, not a mapping of fields; ${fix}`;
}
