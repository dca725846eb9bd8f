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

/** What the walk needs from the schemas that apply to one kind of value, worked out once per schema and kind. */
interface Applied {
  nodes: SchemaNode[];
  /** The array item schemas. */
  items: SchemaNode[];
  /** Whether any applicable schema declares properties (else the object is free-form: nothing in it is extra). */
  described: boolean;
  /** Whether any applicable schema allows more properties. */
  open: boolean;
  /** Each declared property's schemas, from every applicable schema that declares it. */
  declared: Map<string, unknown[]>;
}

/**
 * Per schema node, per kind of value (its JSON type, and for an object its literal `type`), what applies: a stream
 * holds thousands of events of a few kinds, and a body's arrays hold many items of one.
 */
const appliedCache = new WeakMap<object, Map<string, Applied>>();
const MAX_KINDS = 64;

function applied(schema: unknown, value: unknown, components: Record<string, unknown>): Applied {
  const type = jsonType(value);
  const tag = type === 'object' ? (value as SchemaNode).type : undefined;
  const kind = tag === undefined ? type : `object:${String(tag)}`;
  // Only a string tag (or none) decides the branches alone; and the kinds an endpoint can make up are bounded.
  const byKind = isNode(schema) ? appliedCache.get(schema) : undefined;
  const cacheable = isNode(schema) && (tag === undefined || typeof tag === 'string') && (byKind?.size ?? 0) < MAX_KINDS;
  const known = byKind?.get(kind);
  if (known && cacheable) return known;
  const nodes = applicable(schema, value, components);
  const declared = new Map<string, unknown[]>();
  let described = false;
  for (const node of nodes) {
    if (!isNode(node.properties)) continue;
    described = true;
    for (const [key, child] of Object.entries(node.properties)) {
      const list = declared.get(key);
      if (list) list.push(child);
      else declared.set(key, [child]);
    }
  }
  const result: Applied = {
    nodes,
    items: nodes.map((n) => n.items).filter((i): i is SchemaNode => isNode(i)),
    described,
    open: nodes.some((n) => n.additionalProperties === true || isNode(n.additionalProperties) || isNode(n.patternProperties)),
    declared,
  };
  if (cacheable) {
    if (byKind) byKind.set(kind, result);
    else appliedCache.set(schema as object, new Map([[kind, result]]));
  }
  return result;
}

function walk(schema: unknown, value: unknown, path: string, components: Record<string, unknown>, out: Set<string>, depth: number): void {
  // A string, number, boolean or null holds no properties: walking it finds nothing, and most values are such.
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return;
  const { nodes, items, described, open, declared } = applied(schema, value, components);
  if (Array.isArray(value)) {
    const where = `${path}[]`;
    for (const element of value) for (const item of items) walk(item, element, where, components, out, depth + 1);
    return;
  }
  if (!isNode(value)) return;
  // A free-form object (no properties declared, or a map): nothing in it is extra.
  if (!described) return;
  for (const key in value) {
    const child = value[key];
    const schemas = declared.get(key);
    // Likewise a defined or allowed key's (only an undefined key is extra, whatever its value): no call, no path built.
    if ((schemas || open) && (typeof child !== 'object' || child === null)) continue;
    const where = path ? `${path}.${key}` : key;
    if (schemas) {
      for (const s of schemas) walk(s, child, where, components, out, depth + 1);
    } else if (open) {
      for (const n of nodes) if (isNode(n.additionalProperties)) walk(n.additionalProperties, child, where, components, out, depth + 1);
    } else {
      out.add(where);
    }
  }
}

/**
 * The reference each walk starts from, one object per document and component: `applied` caches by schema object,
 * and the root is where a stream's events meet the whole union of event kinds (a fresh object was never cached).
 */
const roots = new WeakMap<Record<string, unknown>, Map<string, SchemaNode>>();

function rootRef(components: Record<string, unknown>, component: string): SchemaNode {
  let byName = roots.get(components);
  if (!byName) roots.set(components, (byName = new Map()));
  let root = byName.get(component);
  if (!root) byName.set(component, (root = { $ref: `#/components/schemas/${component}` }));
  return root;
}

/** Paths of the properties `value` carries that `component` does not define, sorted (`a.b`, `list[].c`). */
export function extraFields(components: Record<string, unknown>, component: string, value: unknown): string[] {
  const out = new Set<string>();
  walk(rootRef(components, component), value, '', components, out, 0);
  return [...out].sort();
}
