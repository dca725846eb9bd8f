/**
 * @module checks/schemas/from-openapi
 * OpenAI's OpenAPI document as the JSON Schemas the schema.* checks use: the components the five object kinds
 * reach (through `$ref`), without documentation keywords, with OpenAPI's `nullable: true` as a null type, `allOf`s
 * of plain objects merged into one object (so "optional" and "required" are read on one node, as clients read
 * them), and each `discriminator` kept only where ajv can use it to pick the branch by its `type`. The bundled
 * schemas (openai.schema.json, written by `npm run schemas`) and `--openapi FILE` both come from this function, so
 * the two modes cannot drift apart.
 */
import { REF_PREFIX, isNode, mapSubschemas, refName, resolve, type SchemaNode } from './schema-walk.ts';

export type OpenAiKind = 'chat-completion' | 'chat-completion-chunk' | 'response' | 'response-event' | 'error';

/** The component that describes each object kind in OpenAI's document. */
export const OPENAPI_COMPONENTS: Record<OpenAiKind, string> = {
  'chat-completion': 'CreateChatCompletionResponse',
  'chat-completion-chunk': 'CreateChatCompletionStreamResponse',
  response: 'Response',
  'response-event': 'ResponseStreamEvent',
  error: 'ErrorResponse',
};

/** Keywords that describe and do not constrain (`format` too: formats are not validated). */
const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', 'default', 'deprecated', 'format', 'externalDocs', 'readOnly', 'writeOnly', '$comment', '$recursiveAnchor', '$recursiveRef']);

/**
 * Keywords that constrain no value on their own, for `constrains` only: identifiers and a document's own definitions
 * (`$defs`, reached by a `$ref` beside them, which constrains), XML and content hints, a discriminator (its `oneOf`
 * constrains), and the annotations. `clean` keeps these: a local `$ref` resolves through `$id` and `$defs`.
 */
const CONSTRAIN_NOTHING = new Set([...ANNOTATIONS, '$id', '$schema', '$anchor', '$dynamicAnchor', '$defs', 'definitions', 'xml', 'discriminator', 'contentMediaType', 'contentEncoding', 'contentSchema']);

function clean(schema: unknown): unknown {
  if (!isNode(schema)) return schema;
  const kept: SchemaNode = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-') || key === 'nullable') continue;
    kept[key] = key === 'discriminator' && isNode(value) ? { propertyName: value.propertyName } : value;
  }
  const out = mapSubschemas(kept, clean);
  // Not `type: [t, "null"]`: an `enum` beside it would still refuse null.
  return schema.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

/** The names of every component `roots` reach through `$ref`. */
function closure(schemas: Record<string, unknown>, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop()!;
    if (seen.has(name) || !(name in schemas)) continue;
    seen.add(name);
    for (const match of JSON.stringify(schemas[name]).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) queue.push(match[1]!);
  }
  return [...seen].sort();
}

const MERGEABLE = new Set(['type', 'properties', 'required']);

/** `allOf: [A, B, {...}]` of plain object schemas as one object schema; anything else unchanged. */
function flatten(schema: unknown, components: Record<string, unknown>, depth = 0): unknown {
  if (!isNode(schema)) return schema;
  const node = mapSubschemas(schema, (sub) => flatten(sub, components, depth));
  if (!Array.isArray(node.allOf) || depth > 8) return node;
  const { allOf, ...own } = node;
  const parts = [...(allOf as unknown[]).map((part) => flatten(resolve(part, components), components, depth + 1)), own];
  if (!parts.every((part) => isNode(part) && Object.keys(part).every((key) => MERGEABLE.has(key)) && (part.type === undefined || part.type === 'object'))) return node;
  const properties: SchemaNode = {};
  const required: string[] = [];
  for (const part of parts as SchemaNode[]) {
    for (const [name, property] of Object.entries((part.properties as SchemaNode | undefined) ?? {})) {
      properties[name] = name in properties ? { allOf: [properties[name], property] } : property;
    }
    for (const name of (part.required as string[] | undefined) ?? []) if (!required.includes(name)) required.push(name);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

/** The tag values a branch declares for `tag`, if the branch requires the tag and spells it as const or enum. */
function tagValues(branch: unknown, tag: string, components: Record<string, unknown>): string[] | undefined {
  const node = resolve(branch, components);
  if (!isNode(node) || !isNode(node.properties) || !Array.isArray(node.required) || !node.required.includes(tag)) return undefined;
  const property = resolve(node.properties[tag], components);
  if (!isNode(property)) return undefined;
  const values = typeof property.const === 'string' ? [property.const] : Array.isArray(property.enum) ? property.enum : undefined;
  return values?.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
}

/** A discriminated union ajv can dispatch on (each branch requires a distinct tag value) becomes `oneOf`; else no discriminator. */
function discriminate(schema: unknown, components: Record<string, unknown>): unknown {
  if (!isNode(schema)) return schema;
  const node = mapSubschemas(schema, (sub) => discriminate(sub, components));
  if (!isNode(node.discriminator)) return node;
  const tag = node.discriminator.propertyName;
  const branches = (node.oneOf ?? node.anyOf) as unknown[] | undefined;
  const { discriminator: _dropped, anyOf: _anyOf, oneOf: _oneOf, ...rest } = node;
  const seen = new Set<string>();
  const usable =
    typeof tag === 'string' &&
    Array.isArray(branches) &&
    branches.every((branch) => {
      const values = tagValues(branch, tag, components);
      if (!values) return false;
      for (const value of values) {
        if (seen.has(value)) return false;
        seen.add(value);
      }
      return true;
    });
  if (usable) return { ...rest, oneOf: branches, discriminator: { propertyName: tag } };
  const { discriminator: _unused, ...plain } = node;
  return plain;
}

/**
 * The components the object kinds reach, ready for ajv (sorted by name). Throws nothing: a document that lacks a
 * root is the caller's to report (`openApiProblem`).
 */
export function componentsFromOpenApi(schemas: Record<string, unknown>): Record<string, unknown> {
  const names = closure(schemas, Object.values(OPENAPI_COMPONENTS));
  const cleaned: Record<string, unknown> = Object.fromEntries(names.map((name) => [name, clean(schemas[name])]));
  const flat: Record<string, unknown> = Object.fromEntries(names.map((name) => [name, flatten(cleaned[name], cleaned)]));
  return Object.fromEntries(names.map((name) => [name, discriminate(flat[name], flat)]));
}

/** What a YAML value is, in words that quote none of it (a file named by mistake may hold a secret). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/** Keywords that combine subschemas: they constrain only through what their members do. */
const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * Whether a schema constrains anything: a `{}`, or one of annotations alone, accepts every value, and so does a
 * `$ref` to such a component, an empty `allOf`, an `allOf` whose members all accept everything, or an `anyOf` /
 * `oneOf` with a member that does (that member alone lets every value through). Local `$ref`s are followed, each
 * component once (`memo`: a loop adds nothing); one that names no component counts as constraining, as does any other
 * `$ref`: the compile check reports those. `true` as a schema accepts every value.
 */
function constrains(schema: unknown, schemas: Record<string, unknown>, memo: Map<string, boolean> = new Map()): boolean {
  if (schema === true) return false;
  if (!isNode(schema)) return true;
  const own = (key: string) => !CONSTRAIN_NOTHING.has(key) && !key.startsWith('x-') && key !== 'nullable' && key !== '$ref' && !(COMBINATORS as readonly string[]).includes(key);
  if (Object.keys(schema).some(own)) return true;
  if (schema.$ref !== undefined) {
    const name = refName(schema);
    if (name === undefined || !(name in schemas)) return true;
    if (!memo.has(name)) {
      // Marked first: a component reached again through itself adds nothing to what it already says.
      memo.set(name, false);
      memo.set(name, constrains(schemas[name], schemas, memo));
    }
    if (memo.get(name)) return true;
  }
  for (const key of COMBINATORS) {
    const members = schema[key];
    if (members === undefined) continue;
    if (!Array.isArray(members)) return true;
    // allOf constrains through any member; anyOf and oneOf only when each does (one that accepts all lets all through).
    const each = members.map((m) => constrains(m, schemas, memo));
    if (key === 'allOf' ? each.some(Boolean) : each.length > 0 && each.every(Boolean)) return true;
  }
  return false;
}

/**
 * Why a parsed OpenAPI document cannot give the object kinds' schemas, on one line naming the JSON path of the first
 * bad part (`components.schemas.Response`) and what it is, never its value; undefined when it can. A root that is
 * no schema object would crash the transform or ajv mid-run, and a `{}` would make every schema.* check `valid`
 * without validating anything: both are refused before the run, where the user can still fix the file.
 */
export function openApiProblem(document: unknown): string | undefined {
  if (!isNode(document)) return `its top level is ${kindOf(document)}, not an OpenAPI document's mapping`;
  if (document.components === undefined) return 'no components.schemas in it';
  if (!isNode(document.components)) return `components is ${kindOf(document.components)}, not a mapping`;
  const schemas = document.components.schemas;
  if (schemas === undefined) return 'no components.schemas in it';
  if (!isNode(schemas)) return `components.schemas is ${kindOf(schemas)}, not a mapping of schemas`;
  const missing = Object.values(OPENAPI_COMPONENTS).filter((name) => !(name in schemas));
  if (missing.length) return `components.schemas lacks ${missing.join(', ')}`;
  for (const name of Object.values(OPENAPI_COMPONENTS)) {
    const schema = schemas[name];
    if (!isNode(schema)) return `components.schemas.${name} is ${kindOf(schema)}, not a schema object`;
    if (!constrains(schema, schemas)) return `components.schemas.${name} validates nothing (no keyword but descriptions, identifiers and hints such as $id, $defs, xml or discriminator, through its $refs and allOf/anyOf/oneOf): every object would pass its schema.* checks`;
  }
  return undefined;
}

/** Every `$ref` in `components` that names no component (a broken document or a bad transform). */
export function danglingRefs(components: Record<string, unknown>): string[] {
  const dangling = new Set<string>();
  for (const match of JSON.stringify(components).matchAll(/"\$ref":"([^"]+)"/g)) {
    const name = refName({ $ref: match[1] });
    if (name === undefined || !(name in components)) dangling.add(match[1]!);
  }
  return [...dangling];
}

export { REF_PREFIX };
