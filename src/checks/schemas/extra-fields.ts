/**
 * @module checks/schemas/extra-fields
 * The properties a value carries that its schema does not define: `billing`, `output[].phase`. An observation,
 * never a failure (the schemas allow additional properties, as the specs do). The walk follows the value through
 * the schema: `$ref`s, `allOf` parts, and of a union's branches the ones that fit the value (a discriminated union
 * by its tag; otherwise by JSON type and a literal `type`). When several branches fit, a property any of them
 * defines is not extra: the list can miss a field, never invent one.
 */
import { isNode, resolve, type SchemaNode } from './schema-walk.ts';

const MAX_DEPTH = 24;

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' ? 'number' : typeof value;
}

function admitsType(schema: SchemaNode, type: string): boolean {
  const declared = schema.type;
  if (declared === undefined) return true;
  const types = Array.isArray(declared) ? declared : [declared];
  return types.includes(type) || (type === 'number' && types.includes('integer'));
}

/** Whether a literal `type` property of the branch (const or enum) admits the value's `type`. */
function tagFits(schema: SchemaNode, value: unknown, components: Record<string, unknown>): boolean {
  if (!isNode(value) || !isNode(schema.properties)) return true;
  const tag = resolve(schema.properties.type, components);
  if (!isNode(tag)) return true;
  if ('const' in tag) return tag.const === value.type;
  if (Array.isArray(tag.enum)) return tag.enum.includes(value.type);
  return true;
}

/** The object-describing schemas that apply to `value`: the node itself, its allOf parts, the union branches that fit. */
function applicable(schema: unknown, value: unknown, components: Record<string, unknown>, depth = 0): SchemaNode[] {
  const node = resolve(schema, components);
  if (!isNode(node) || depth > MAX_DEPTH || !admitsType(node, jsonType(value))) return [];
  const found: SchemaNode[] = [node];
  for (const part of (node.allOf as unknown[] | undefined) ?? []) found.push(...applicable(part, value, components, depth + 1));
  const branches = ((node.oneOf ?? node.anyOf) as unknown[] | undefined) ?? [];
  for (const branch of branches) {
    const resolved = resolve(branch, components);
    if (isNode(resolved) && tagFits(resolved, value, components)) found.push(...applicable(resolved, value, components, depth + 1));
  }
  return found;
}

function walk(schema: unknown, value: unknown, path: string, components: Record<string, unknown>, out: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  const nodes = applicable(schema, value, components);
  if (Array.isArray(value)) {
    const items = nodes.map((n) => n.items).filter((i) => isNode(i));
    for (const element of value) for (const item of items) walk(item, element, `${path}[]`, components, out, depth + 1);
    return;
  }
  if (!isNode(value)) return;
  const described = nodes.filter((n) => isNode(n.properties));
  // A free-form object (no properties declared, or a map): nothing in it is extra.
  if (described.length === 0) return;
  const open = nodes.some((n) => n.additionalProperties === true || isNode(n.additionalProperties) || isNode(n.patternProperties));
  for (const [key, child] of Object.entries(value)) {
    const declared = described.map((n) => (n.properties as SchemaNode)[key]).filter((s) => s !== undefined);
    const where = path ? `${path}.${key}` : key;
    if (declared.length) {
      for (const s of declared) walk(s, child, where, components, out, depth + 1);
    } else if (open) {
      for (const n of nodes) if (isNode(n.additionalProperties)) walk(n.additionalProperties, child, where, components, out, depth + 1);
    } else {
      out.add(where);
    }
  }
}

/** Paths of the properties `value` carries that `component` does not define, sorted (`a.b`, `list[].c`). */
export function extraFields(components: Record<string, unknown>, component: string, value: unknown): string[] {
  const out = new Set<string>();
  walk({ $ref: `#/components/schemas/${component}` }, value, '', components, out, 0);
  return [...out].sort();
}
