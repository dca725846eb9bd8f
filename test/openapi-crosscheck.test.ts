/**
 * The bundled schema documents against their sources: openai.schema.json is what `npm run schemas` makes of OpenAI's
 * OpenAPI document (../shared/reference/openai-openapi, when present), anthropic.schema.json what it makes of the
 * installed @anthropic-ai/sdk types; every tolerance names a real property. Also `--openapi FILE` end to end.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { componentsFromOpenApi, danglingRefs } from '../src/checks/schemas/from-openapi.ts';
import { readBundledDocument } from '../src/checks/schemas/schema-set.ts';
import { TOLERANCES, unusedTolerances } from '../src/checks/schemas/tolerances.ts';
import { anthropicSchemaText, openAiSchemaText } from '../src/checks/schemas/generate/schema-files.ts';
import { REFERENCE, ROOT, cli } from './helpers/harness.ts';

const OPENAPI = join(REFERENCE, 'openai-openapi/openapi.yaml');
const present = existsSync(OPENAPI);
const bundled = (name: string) => readFile(join(ROOT, 'src/checks/schemas', `${name}.schema.json`), 'utf8');
type Node = { type?: unknown; properties?: Record<string, unknown>; required?: string[] };

describe.skipIf(!present)('openai.schema.json and the OpenAI OpenAPI document', () => {
  it('is what `npm run schemas` makes of the document (regenerate it when this fails)', async () => {
    expect(await bundled('openai')).toBe(openAiSchemaText(await readFile(OPENAPI, 'utf8')));
  });
});

describe('the bundled schema documents', () => {
  it('anthropic.schema.json is what `npm run schemas` makes of the installed @anthropic-ai/sdk (regenerate it when this fails)', async () => {
    expect(await bundled('anthropic')).toBe(anthropicSchemaText());
  }, 120_000);

  it('cover every property of the Response, not only the required ones', () => {
    const response = readBundledDocument('openai').components.schemas.Response as Node;
    for (const field of ['user', 'safety_identifier', 'prompt_cache_key', 'service_tier', 'truncation', 'text', 'top_logprobs', 'max_tool_calls', 'completed_at', 'moderation', 'conversation']) {
      expect(response.properties, field).toHaveProperty(field);
    }
    // `tools` is the document's array of tool definitions (a function tool requires `strict`), not "any array".
    expect(response.properties!.tools).toEqual({ $ref: '#/components/schemas/ToolsArray' });
  });

  it('cover every property of the Anthropic Message and its usage', () => {
    const schemas = readBundledDocument('anthropic').components.schemas;
    expect(Object.keys((schemas.Message as Node).properties!).sort()).toEqual(['container', 'content', 'diagnostics', 'id', 'model', 'role', 'stop_details', 'stop_reason', 'stop_sequence', 'type', 'usage']);
    expect((schemas.Usage as Node).properties).toHaveProperty('cache_read_input_tokens');
    expect((schemas.Usage as Node).properties).toHaveProperty('service_tier');
    // Token counts are integers (the SDK says number; the API reference says integer).
    expect((schemas.Usage as Node).properties!.input_tokens).toEqual({ type: 'integer' });
  });

  it('have no dangling $ref and every tolerance relaxes a property they define', () => {
    const documents = [readBundledDocument('openai'), readBundledDocument('anthropic')];
    for (const document of documents) expect(danglingRefs(document.components.schemas)).toEqual([]);
    expect(unusedTolerances(documents)).toEqual([]);
    for (const tolerance of TOLERANCES) expect(tolerance.reason.length, `${tolerance.component}.${tolerance.property}`).toBeGreaterThan(40);
  });

  it('keep a discriminator only where every branch requires a distinct tag', () => {
    const schemas = componentsFromOpenApi({
      ErrorResponse: { type: 'object', properties: { error: { type: 'string' } } },
      Response: { anyOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }], discriminator: { propertyName: 'type', mapping: { a: 'A' } } },
      A: { type: 'object', properties: { type: { type: 'string', enum: ['a'] } }, required: ['type'] },
      B: { type: 'object', properties: { type: { type: 'string', enum: ['b'] } } },
      CreateChatCompletionResponse: { oneOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/C' }], discriminator: { propertyName: 'type' } },
      C: { type: 'object', properties: { type: { type: 'string', enum: ['c'], nullable: true }, title: { type: 'string', description: 'a property named title is not a keyword' } }, required: ['type'] },
      CreateChatCompletionStreamResponse: { type: 'object' },
      ResponseStreamEvent: { type: 'object' },
    });
    // B does not require its tag: no discriminator, the union stays as the document wrote it.
    expect(schemas.Response).toEqual({ anyOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }] });
    expect(schemas.CreateChatCompletionResponse).toEqual({ oneOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/C' }] });
    expect((schemas.C as Node).properties!.title).toEqual({ type: 'string' });
    expect((schemas.C as Node).properties!.type).toEqual({ anyOf: [{ type: 'string', enum: ['c'] }, { type: 'null' }] });
  });
});

describe.skipIf(!present)('--openapi FILE', () => {
  it('validates against the document, end to end', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi-'));
    try {
      const run = await cli(['run', '--openapi', OPENAPI, '--models', 'qwen.qwen3-32b', '--checks', 'schema.*', '--report-dir', dir, '--plain']);
      const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8'));
      const chat = matrix.results.find((r: { check: string }) => r.check === 'schema.chat-completion');
      expect(chat.reason, run.stderr).toContain(`OpenAPI document ${OPENAPI}`);
      // The real-capture bodies (system_fingerprint null, no choices[].logprobs) are lenient-only against the full document too.
      expect(chat.observed).toBe('lenient-only');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

it('--openapi with a file that is not there is HARNESS_FILE_NOT_FOUND naming the flag', async () => {
  const run = await cli(['run', '--openapi', '/nonexistent/openapi.yaml', '--report-dir', join(tmpdir(), 'openapi-missing')]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("HARNESS_FILE_NOT_FOUND: --openapi: /nonexistent/openapi.yaml does not exist; give the path of OpenAI's openapi.yaml");
});
