/**
 * @module checks/schemas/tolerances
 * The one place where the project departs from the published schemas: each entry relaxes one property of one
 * component, with the reason. Both schema sources get the same entries (the bundled schemas and `--openapi FILE`),
 * so the two modes agree. An entry belongs here only when the vendor's own API does the same thing, so that
 * holding it against an endpoint would flag the reference implementation too. What Mantle does differently from
 * the vendor (`"user": null`, a missing `logprobs`) is not tolerated: it is what the schema.* checks report.
 */
import { allowsNull, isNode, mapSubschemas, type SchemaDocument, type SchemaNode } from './schema-walk.ts';

export interface Tolerance {
  /** The component (in components.schemas) whose property is relaxed. */
  component: string;
  property: string;
  /** What the property may also be. */
  allow: 'null';
  reason: string;
}

export const TOLERANCES: readonly Tolerance[] = [
  {
    component: 'Response',
    property: 'usage',
    allow: 'null',
    reason: 'OpenAI itself sends usage: null until a response completes (queued, in_progress, the response.created event); the document gives usage no null',
  },
];

/** A copy of `document` with every tolerance that names one of its components applied. */
export function withTolerances(document: SchemaDocument, tolerances: readonly Tolerance[] = TOLERANCES): SchemaDocument {
  const schemas = { ...document.components.schemas };
  for (const tolerance of tolerances) {
    const component = schemas[tolerance.component];
    if (!isNode(component) || !isNode(component.properties) || !(tolerance.property in component.properties)) continue;
    const property = component.properties[tolerance.property];
    schemas[tolerance.component] = { ...component, properties: { ...component.properties, [tolerance.property]: { anyOf: [property, { type: 'null' }] } } };
  }
  return { components: { schemas } };
}

/** Tolerances that name no property of the document (a renamed component, a document that moved on). */
export function unusedTolerances(documents: readonly SchemaDocument[], tolerances: readonly Tolerance[] = TOLERANCES): Tolerance[] {
  return tolerances.filter((t) =>
    documents.every((d) => {
      const component = d.components.schemas[t.component];
      return !isNode(component) || !isNode(component.properties) || !(t.property in component.properties);
    }),
  );
}

/**
 * The Anthropic document is derived from the SDK's TypeScript declarations, where every field the API may send is a
 * required property, nullable when the API may leave it unset (`container`, `stop_details`, `citations`, the newer
 * usage fields). Anthropic's own API omits many of them, so holding an endpoint to their presence would flag the
 * vendor itself: a property whose schema admits null may be absent. Fields that are never null stay required.
 */
export function withNullableOptional(document: SchemaDocument): SchemaDocument {
  const relax = (schema: unknown): unknown => {
    if (!isNode(schema)) return schema;
    const node: SchemaNode = mapSubschemas(schema, relax);
    if (Array.isArray(node.required) && isNode(node.properties)) {
      const properties = node.properties;
      node.required = node.required.filter((name) => typeof name !== 'string' || !allowsNull(properties[name], document.components.schemas));
    }
    return node;
  };
  return { components: { schemas: Object.fromEntries(Object.entries(document.components.schemas).map(([name, schema]) => [name, relax(schema)])) } };
}
