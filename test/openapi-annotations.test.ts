/**
 * Review rvJ, finding 3. An `--openapi` component whose only keys constrain nothing ($id, $defs, xml, a discriminator
 * alone, content hints, ...) was taken for one that validates, and every schema.* cell passed against it. Each is
 * refused as `{description}` is; the same keys beside a real keyword still pass, and so does OpenAI's own document.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiProblem, OPENAPI_COMPONENTS } from '../src/checks/schemas/from-openapi.ts';
import { REFERENCE, cli } from './helpers/harness.ts';

const doc = (errorResponse: unknown) => ({ components: { schemas: { ...Object.fromEntries(Object.values(OPENAPI_COMPONENTS).map((r) => [r, { type: 'object' }])), ErrorResponse: errorResponse } } });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openapi-annotations-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a component of keys that constrain nothing', () => {
  it.each([
    ['$id', { $id: 'urn:x', description: 'anything' }],
    ['$schema and $anchor', { $schema: 'https://json-schema.org/draft/2020-12/schema', $anchor: 'a' }],
    ['$defs', { $defs: { S: { type: 'string' } } }],
    ['definitions', { definitions: { S: { type: 'string' } } }],
    ['xml', { xml: { name: 'error' } }],
    ['a discriminator alone', { discriminator: { propertyName: 'type' } }],
    ['content hints', { contentMediaType: 'application/json', contentEncoding: 'base64' }],
    ['the annotations', { title: 't', examples: [1], example: 1, default: 1, deprecated: true, readOnly: true, writeOnly: false, externalDocs: { url: 'u' }, $comment: 'c' }],
  ])('is refused: %s', (_name, schema) => {
    expect(openApiProblem(doc(schema))).toMatch(/^components\.schemas\.ErrorResponse validates nothing \(/);
  });

  it('beside a keyword that constrains, passes', () => {
    expect(openApiProblem(doc({ $id: 'urn:x', xml: { name: 'e' }, type: 'object' }))).toBeUndefined();
    expect(openApiProblem(doc({ $defs: { S: { type: 'string' } }, $ref: '#/$defs/S' }))).toBeUndefined();
  });

  it('stops the run before anything is sent (the review repro), exit 2', async () => {
    const file = join(dir, 'oa-id.yaml');
    await writeFile(file, `openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n${Object.values(OPENAPI_COMPONENTS).filter((r) => r !== 'ErrorResponse').map((r) => `    ${r}: {type: object}\n`).join('')}    ErrorResponse: {$id: 'urn:x', description: anything}\n`);
    const run = await cli(['run', '--openapi', file, '--checks', 'schema.error', '--report-dir', join(dir, 'r'), '--quiet']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('components.schemas.ErrorResponse validates nothing');
  });
});

const OPENAPI = join(REFERENCE, 'openai-openapi/openapi.yaml');
describe.skipIf(!existsSync(OPENAPI))("OpenAI's own openapi.yaml", () => {
  it('is still accepted', async () => {
    expect(openApiProblem(parse(await readFile(OPENAPI, 'utf8'), { maxAliasCount: -1 }))).toBeUndefined();
  });
});
