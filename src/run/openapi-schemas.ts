/**
 * @module run/openapi-schemas
 * `--openapi FILE`: the schema.* checks validate against a full OpenAI OpenAPI document instead of the project's
 * schemas. The document's component schemas are used as they are, with OpenAPI's `nullable: true` turned into a
 * JSON Schema null type; Anthropic objects keep the project's schemas.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { PROJECT_SCHEMAS, type SchemaKind, type SchemaSet } from '../checks/schema.ts';
import { HarnessError } from '../errors.ts';

/** The component that describes each object kind in OpenAI's document. */
export const OPENAPI_COMPONENTS: Partial<Record<SchemaKind, string>> = {
  'chat-completion': 'CreateChatCompletionResponse',
  'chat-completion-chunk': 'CreateChatCompletionStreamResponse',
  response: 'Response',
  'response-event': 'ResponseStreamEvent',
  error: 'ErrorResponse',
};

/** OpenAPI 3.0's `nullable: true` (still used in the 3.1 document) as JSON Schema. */
export function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, k === 'example' || k === 'examples' || k === 'x-oaiMeta' ? undefined : withoutNullable(v)]).filter(([, v]) => v !== undefined));
  if (nullable !== true) return out;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

export async function loadOpenApiSchemas(file: string): Promise<SchemaSet> {
  let document: { components?: { schemas?: Record<string, unknown> } };
  try {
    document = parse(await readFile(file, 'utf8'), { maxAliasCount: -1 }) as typeof document;
  } catch (cause) {
    throw new HarnessError('HARNESS_FILE_NOT_FOUND', `--openapi ${file}: cannot read it as an OpenAPI document (${(cause as Error).message})`, { cause });
  }
  const schemas = document.components?.schemas;
  if (!schemas) throw new HarnessError('HARNESS_USAGE', `--openapi ${file}: no components.schemas in it; give OpenAI's openapi.yaml`);
  const missing = Object.values(OPENAPI_COMPONENTS).filter((name) => !(name in schemas));
  if (missing.length) throw new HarnessError('HARNESS_USAGE', `--openapi ${file}: components.schemas lacks ${missing.join(', ')}`);
  const components = { schemas: withoutNullable(schemas) };
  const built = new Map<SchemaKind, unknown>();
  return {
    source: `OpenAPI document ${file}`,
    schema(kind) {
      const name = OPENAPI_COMPONENTS[kind];
      if (!name) return PROJECT_SCHEMAS.schema(kind);
      let schema = built.get(kind);
      if (!schema) {
        // The component's own $refs ("#/components/schemas/X") resolve against this root.
        schema = { $ref: `#/components/schemas/${name}`, components };
        built.set(kind, schema);
      }
      return schema;
    },
  };
}
