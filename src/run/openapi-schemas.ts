/**
 * @module run/openapi-schemas
 * `--openapi FILE`: the schema.* checks validate OpenAI's objects against that OpenAPI document instead of the
 * bundled copy. The document goes through the same transform and tolerances as the bundled schemas
 * (checks/schemas/from-openapi.ts), so on the same document both modes agree; Anthropic objects keep the bundled
 * schemas.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { componentsFromOpenApi, missingComponents } from '../checks/schemas/from-openapi.ts';
import { readBundledDocument, schemaSet, type SchemaSet } from '../checks/schemas/schema-set.ts';
import { HarnessError } from '../errors.ts';

export async function loadOpenApiSchemas(file: string): Promise<SchemaSet> {
  let document: { components?: { schemas?: Record<string, unknown> } };
  try {
    document = parse(await readFile(file, 'utf8'), { maxAliasCount: -1 }) as typeof document;
  } catch (cause) {
    throw new HarnessError('HARNESS_FILE_NOT_FOUND', `--openapi ${file}: cannot read it as an OpenAPI document (${(cause as Error).message})`, { cause });
  }
  const schemas = document?.components?.schemas;
  if (!schemas) throw new HarnessError('HARNESS_USAGE', `--openapi ${file}: no components.schemas in it; give OpenAI's openapi.yaml`);
  const missing = missingComponents(schemas);
  if (missing.length) throw new HarnessError('HARNESS_USAGE', `--openapi ${file}: components.schemas lacks ${missing.join(', ')}`);
  return schemaSet(`OpenAPI document ${file}`, { openai: { components: { schemas: componentsFromOpenApi(schemas) } }, anthropic: readBundledDocument('anthropic') });
}
