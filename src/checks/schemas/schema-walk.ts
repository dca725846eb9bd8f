/**
 * @module checks/schemas/schema-walk
 * Walking a JSON Schema by its keywords: which keys hold subschemas, which hold maps of them, and which hold plain
 * data (`enum`, `const`, `required`, ...). A generic object walk would treat a property named `title`, `format` or
 * `type` as a keyword; this one never does.
 */

export type SchemaNode = Record<string, unknown>;

/** Keywords whose value is one subschema. */
const ONE = new Set(['additionalProperties', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems']);
/** Keywords whose value is a list of subschemas. */
const LIST = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
/** Keywords whose value maps names to subschemas. */
const MAP = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

export const isNode = (value: unknown): value is SchemaNode => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A copy of `node` with `visit` applied to each direct subschema (and to nothing else). `items` given as a list
 * (draft-07 tuples) is a list of subschemas too.
 */
export function mapSubschemas(node: SchemaNode, visit: (schema: unknown) => unknown): SchemaNode {
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (ONE.has(key) && Array.isArray(value)) out[key] = value.map(visit);
    else if (ONE.has(key) && isNode(value)) out[key] = visit(value);
    else if (LIST.has(key) && Array.isArray(value)) out[key] = value.map(visit);
    else if (MAP.has(key) && isNode(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, visit(schema)]));
    else out[key] = value;
  }
  return out;
}

/** A schema document whose `$ref`s point into `components.schemas` (OpenAPI's layout, kept for both vendors). */
export interface SchemaDocument {
  components: { schemas: Record<string, unknown> };
}

export const REF_PREFIX = '#/components/schemas/';

/** The component a `$ref` names, or undefined for any other reference. */
export function refName(node: unknown): string | undefined {
  if (!isNode(node) || typeof node.$ref !== 'string' || !node.$ref.startsWith(REF_PREFIX)) return undefined;
  return node.$ref.slice(REF_PREFIX.length);
}

/** Follows `$ref`s (a chain of them, cycles cut) to the schema they name. */
export function resolve(node: unknown, components: Record<string, unknown>): unknown {
  let current = node;
  for (let hops = 0; hops < 32; hops++) {
    const name = refName(current);
    if (name === undefined) return current;
    current = components[name];
  }
  return current;
}

/** Whether `null` is a value the schema accepts at its top level (through `$ref`, `anyOf`, `oneOf`). */
export function allowsNull(schema: unknown, components: Record<string, unknown>, seen = new Set<unknown>()): boolean {
  const node = resolve(schema, components);
  if (!isNode(node) || seen.has(node)) return false;
  seen.add(node);
  if (node.type === 'null' || (Array.isArray(node.type) && node.type.includes('null'))) return true;
  if (Array.isArray(node.enum) && node.enum.includes(null)) return true;
  if (node.const === null) return true;
  return ['anyOf', 'oneOf'].some((key) => Array.isArray(node[key]) && (node[key] as unknown[]).some((branch) => allowsNull(branch, components, seen)));
}
