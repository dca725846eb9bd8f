/**
 * @module cli/known-fields
 * What the harness knows of a document it has validated: the members its schema names, and nothing else. A file
 * from elsewhere may carry keys this version has no name for (a newer version's optional field, or an attacker's
 * megabytes of nesting); what is not named is not copied into the reports written from it, whose size and shape
 * then follow from the schema, not from the file.
 */

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

/**
 * A copy of `value`, which has passed validation against `schema`, with every object member the schema does not
 * name left out (a map's keys, `additionalProperties` with a schema, are all named). It recurses along the schema,
 * never deeper than the schema goes, so the nesting of the file cannot make it overflow the stack.
 */
export function knownFields(value: unknown, schema: object): unknown {
  return keep(value, schema as SchemaNode);
}

function keep(value: unknown, schema: SchemaNode): unknown {
  if (schema.anyOf) {
    // Validation passed, so a branch fits; the matrix schema has no union of two object (or two array) shapes, so
    // the first that fits is the one.
    const branch = schema.anyOf.find((s) => fits(s, value));
    return branch ? keep(value, branch) : value;
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    return items && !Array.isArray(items) ? value.map((v) => keep(v, items)) : value;
  }
  if (value === null || typeof value !== 'object') return value;
  const { properties, additionalProperties: rest } = schema;
  // An object schema that names nothing (`{}`) says nothing of its members: kept as it is.
  if (!properties && rest === undefined) return value;
  const kept: [string, unknown][] = [];
  for (const [key, member] of Object.entries(value)) {
    const known = properties && Object.hasOwn(properties, key) ? properties[key] : typeof rest === 'object' ? rest : undefined;
    if (known) kept.push([key, keep(member, known)]);
    else if (rest === true) kept.push([key, member]);
  }
  // fromEntries defines each key as its own member: no key (`__proto__`) can become a prototype.
  return Object.fromEntries(kept);
}
