/**
 * `npm run schemas [-- path/to/openapi.yaml]`: writes the bundled schema documents. The OpenAPI document defaults to
 * ../shared/reference/openai-openapi/openapi.yaml (or $MANTLE_REFERENCE_DIR/openai-openapi/openapi.yaml); without
 * it only the Anthropic document is written. The product never reads either source at run time.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_DIR, anthropicSchemaText, openAiSchemaText } from './schema-files.ts';

const reference = process.env.MANTLE_REFERENCE_DIR ?? fileURLToPath(new URL('../../../../../shared/reference', import.meta.url));
const openapi = process.argv[2] ?? `${reference}/openai-openapi/openapi.yaml`;

const write = (name: string, text: string) => {
  const file = new URL(name, SCHEMA_DIR);
  writeFileSync(file, text);
  process.stdout.write(`wrote ${fileURLToPath(file)} (${Math.round(text.length / 1024)} KiB)\n`);
};

if (existsSync(openapi)) write('openai.schema.json', openAiSchemaText(readFileSync(openapi, 'utf8')));
else process.stderr.write(`${openapi} not found: openai.schema.json left as it is (give the document's path as the argument)\n`);
write('anthropic.schema.json', anthropicSchemaText());
