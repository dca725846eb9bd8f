/**
 * The project's schemas against OpenAI's own OpenAPI document (../shared/reference/openai-openapi, when present):
 * every field we require is required there, with the same type, and the two agree on real bodies. Also
 * `--openapi FILE` end to end.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaProblems } from '../src/checks/json-schema.ts';
import { PROJECT_SCHEMAS, type SchemaKind, type SchemaSet } from '../src/checks/schema.ts';
import { lenient } from '../src/checks/schema-modes.ts';
import { OPENAPI_COMPONENTS, loadOpenApiSchemas } from '../src/run/openapi-schemas.ts';
import { REFERENCE, cli } from './helpers/harness.ts';

const OPENAPI = join(REFERENCE, 'openai-openapi/openapi.yaml');
const RECORDING = join(REFERENCE, 'recordings/vercel-ai-gemma-4-31b-live-2026-09-23.json');
const present = existsSync(OPENAPI);

type Schema = Record<string, unknown>;

describe.skipIf(!present)('project schemas vs the OpenAI OpenAPI document', () => {
  let official: SchemaSet;
  let components: Record<string, Schema>;
  beforeAll(async () => {
    official = await loadOpenApiSchemas(OPENAPI);
    components = ((official.schema('chat-completion') as Schema).components as { schemas: Record<string, Schema> }).schemas;
  });

  /** A component's required fields and property schemas, through allOf and $ref. */
  function flatten(schema: Schema): { required: Set<string>; properties: Record<string, Schema> } {
    if (typeof schema.$ref === 'string') return flatten(components[schema.$ref.split('/').at(-1)!]!);
    const required = new Set<string>((schema.required as string[] | undefined) ?? []);
    const properties: Record<string, Schema> = { ...((schema.properties as Record<string, Schema> | undefined) ?? {}) };
    for (const part of (schema.allOf as Schema[] | undefined) ?? []) {
      const inner = flatten(part);
      for (const r of inner.required) required.add(r);
      Object.assign(properties, inner.properties);
    }
    return { required, properties };
  }

  const typeOf = (schema: Schema | undefined): string | undefined => {
    if (!schema) return undefined;
    if (typeof schema.$ref === 'string') return typeOf(components[schema.$ref.split('/').at(-1)!]);
    if (typeof schema.type === 'string') return schema.type;
    if (Array.isArray(schema.type)) return schema.type.filter((t) => t !== 'null').join('|');
    const variants = (schema.anyOf as Schema[] | undefined)?.map(typeOf).filter((t) => t && t !== 'null');
    return variants?.length === 1 ? variants[0] : undefined;
  };

  it.each(Object.entries(OPENAPI_COMPONENTS).filter(([kind]) => kind !== 'response-event'))('%s requires what %s requires, with the same types', (kind, component) => {
    const ours = flatten(PROJECT_SCHEMAS.schema(kind as SchemaKind) as Schema);
    const theirs = flatten(components[component]!);
    for (const field of ours.required) expect(theirs.required.has(field), `${component} requires ${field}`).toBe(true);
    for (const [field, schema] of Object.entries(ours.properties)) {
      const mine = typeOf(schema);
      const official = typeOf(theirs.properties[field]);
      if (mine && official && !(mine === 'integer' && official === 'integer')) expect(`${field}: ${official}`).toBe(`${field}: ${mine}`);
    }
  });

  it('agrees with the official schema on a live Mantle recording (gemma-4-31b)', async () => {
    const recording = JSON.parse(await readFile(RECORDING, 'utf8'));
    const chat = recording.attempts.explicitOpenAIChat.response;
    const ourProblems = schemaProblems(PROJECT_SCHEMAS.schema('chat-completion'), chat);
    const theirProblems = schemaProblems(official.schema('chat-completion'), chat);
    expect(ourProblems).toEqual(expect.arrayContaining(['/choices/0: missing "logprobs"', '/system_fingerprint: must be string']));
    expect(theirProblems).toEqual(expect.arrayContaining(['/choices/0: missing "logprobs"', '/system_fingerprint: must be string']));
    expect(schemaProblems(lenient(PROJECT_SCHEMAS.schema('chat-completion')), chat)).toEqual([]);
    const error = recording.attempts.defaultChat.response;
    expect(schemaProblems(PROJECT_SCHEMAS.schema('error'), error)).toEqual([]);
    expect(schemaProblems(official.schema('error'), error)).toEqual([]);
  });

  it('--openapi FILE validates against the document, end to end', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi-'));
    try {
      const run = await cli(['run', '--openapi', OPENAPI, '--models', 'qwen.qwen3-32b', '--checks', 'schema.*', '--report-dir', dir, '--plain']);
      const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8'));
      const chat = matrix.results.find((r: { check: string }) => r.check === 'schema.chat-completion');
      expect(chat.reason, run.stderr).toContain(`OpenAPI document ${OPENAPI}`);
      expect(['valid', 'lenient-only']).toContain(chat.observed);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

it('--openapi with a file that is not there is a usage error', async () => {
  const run = await cli(['run', '--openapi', '/nonexistent/openapi.yaml']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("--openapi: /nonexistent/openapi.yaml does not exist; give the path of OpenAI's openapi.yaml");
});
