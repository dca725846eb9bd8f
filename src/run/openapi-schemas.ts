/**
 * @module run/openapi-schemas
 * `--openapi FILE`: the schema.* checks validate OpenAI's objects against that OpenAPI document instead of the
 * bundled copy. The document goes through the same transform and tolerances as the bundled schemas
 * (checks/schemas/from-openapi.ts), so on the same document both modes agree; Anthropic objects keep the bundled
 * schemas.
 */
import { readFile } from 'node:fs/promises';
import { parse, YAMLParseError } from 'yaml';
import { componentsFromOpenApi, openApiProblem, OPENAPI_COMPONENTS, type OpenAiKind } from '../checks/schemas/from-openapi.ts';
import { readBundledDocument, schemaSet, type SchemaSet } from '../checks/schemas/schema-set.ts';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';

export async function loadOpenApiSchemas(file: string): Promise<SchemaSet> {
  let document: unknown;
  try {
    document = parse(await readFile(file, 'utf8'), { maxAliasCount: -1 }) as unknown;
  } catch (cause) {
    throw new HarnessError(
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'HARNESS_FILE_NOT_FOUND' : 'HARNESS_USAGE',
      `--openapi ${file}: ${notReadable(cause)}; give OpenAI's openapi.yaml`,
      { cause },
    );
  }
  // Its shape is checked here, at the boundary: past it the transform and ajv take every root for a schema object.
  const problem = openApiProblem(document);
  if (problem) throw new HarnessError('HARNESS_USAGE', `--openapi ${file}: ${problem}; give OpenAI's openapi.yaml`);
  const schemas = (document as { components: { schemas: Record<string, unknown> } }).components.schemas;
  const set = schemaSet(`OpenAPI document ${file}`, { openai: { components: { schemas: componentsFromOpenApi(schemas) } }, anthropic: readBundledDocument('anthropic') });
  compileEach(file, set);
  return set;
}

/**
 * Each root compiled now, in both modes (ajv keeps them for the run, so the run compiles nothing twice): a keyword of
 * the wrong type deep in the document (`properties: 5`) or a `$ref` to no component would otherwise throw in every
 * schema.* cell of that kind. ajv's message is not repeated: it quotes the schema's values.
 */
function compileEach(file: string, set: SchemaSet): void {
  for (const [kind, component] of Object.entries(OPENAPI_COMPONENTS) as [OpenAiKind, string][]) {
    for (const mode of ['strict', 'lenient'] as const) {
      try {
        set.problems(kind, mode, {});
      } catch (cause) {
        throw new HarnessError('HARNESS_USAGE', `--openapi ${file}: components.schemas.${component}, or a schema it reaches, is no JSON Schema (a keyword with a value of the wrong kind, or a $ref to no component); give OpenAI's openapi.yaml`, { cause });
      }
    }
  }
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
