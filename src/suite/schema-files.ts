/**
 * @module suite/schema-files
 * The JSON Schema files shipped for editors, generated from the schemas the loaders use. `mantle-conformance
 * schema` writes them; a test fails when the files on disk and the loaders' schemas differ. Which files are its own
 * (isOwnSchemaText) is known by the `$id` each carries.
 */
import { CatalogSchema } from './catalog-schema.ts';
import { ExpectationsSchema } from './expectations-schema.ts';
import { HistoryRunSchema } from './history-schema.ts';
import { MatrixSchema } from './matrix-schema.ts';
import { SuiteSchema } from './suite-schema.ts';

export const SCHEMA_FILES: readonly { path: string; schema: object }[] = [
  { path: 'suites/schema/suite.schema.json', schema: SuiteSchema },
  { path: 'suites/schema/catalog.schema.json', schema: CatalogSchema },
  { path: 'suites/schema/expectations.schema.json', schema: ExpectationsSchema },
  { path: 'suites/schema/matrix.schema.json', schema: MatrixSchema },
  { path: 'suites/schema/history-run.schema.json', schema: HistoryRunSchema },
];

export function schemaText(schema: object): string {
  return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }, null, 2)}\n`;
}

/**
 * Whether `text` is the schema file of `schema` as mantle-conformance writes it (any build): JSON whose `$id` is that
 * schema's (`https://mantle-conformance.dev/schema/<name>`: every build's files carry it). The one rule by which
 * `schema` may replace a file: anything else of that name (a hand-written schema, the user's notes) is the user's.
 */
export function isOwnSchemaText(text: string, schema: object): boolean {
  const id = (schema as { $id?: unknown }).$id;
  try {
    const value = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    return typeof id === 'string' && typeof value === 'object' && value !== null && (value as { $id?: unknown }).$id === id;
  } catch {
    return false;
  }
}
