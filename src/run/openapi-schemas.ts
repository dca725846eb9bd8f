/**
 * @module run/openapi-schemas
 * `--openapi FILE`: the schema.* checks validate OpenAI's objects against that OpenAPI document instead of the
 * bundled copy. The document goes through the same transform and tolerances as the bundled schemas
 * (checks/schemas/from-openapi.ts), so on the same document both modes agree; Anthropic objects keep the bundled
 * schemas.
 */
import { readFile } from 'node:fs/promises';
import { parse, YAMLParseError } from 'yaml';
import { componentsFromOpenApi, missingComponents } from '../checks/schemas/from-openapi.ts';
import { readBundledDocument, schemaSet, type SchemaSet } from '../checks/schemas/schema-set.ts';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';

export async function loadOpenApiSchemas(file: string): Promise<SchemaSet> {
  let document: { components?: { schemas?: Record<string, unknown> } };
  try {
    document = parse(await readFile(file, 'utf8'), { maxAliasCount: -1 }) as typeof document;
  } catch (cause) {
    throw new HarnessError(
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'HARNESS_FILE_NOT_FOUND' : 'HARNESS_USAGE',
      `--openapi ${file}: ${notReadable(cause)}; give OpenAI's openapi.yaml`,
      { cause },
    );
  }
  const schemas = document?.components?.schemas;
  if (!schemas) throw new HarnessError('HARNESS_USAGE', `--openapi ${file}: no components.schemas in it; give OpenAI's openapi.yaml`);
  const missing = missingComponents(schemas);
  if (missing.length) throw new HarnessError('HARNESS_USAGE', `--openapi ${file}: components.schemas lacks ${missing.join(', ')}`);
  return schemaSet(`OpenAPI document ${file}`, { openai: { components: { schemas: componentsFromOpenApi(schemas) } }, anthropic: readBundledDocument('anthropic') });
}

/**
 * Why the file is no OpenAPI document, on one line: where its YAML breaks and the parser's code, never the parser's
 * message, which quotes the file's lines (any file can be named: a README, a secret) over several lines.
 */
function notReadable(cause: unknown): string {
  if (cause instanceof YAMLParseError) {
    const at = cause.linePos?.[0];
    return `not an OpenAPI document: not valid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''} (${cause.code})`;
  }
  const code = (cause as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? inertLine((cause as Error).message, 120)})`;
}
