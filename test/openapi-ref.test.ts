/**
 * `--openapi` roots that validate nothing only when reached through `$ref` or a combinator (hostile review rvH,
 * finding 2): `{ $ref: Any }` with `Any: {}`, `{ allOf: [] }`, `{ nullable: true, $ref: Any }` made every schema.*
 * cell `valid` against nothing. Each is refused like a literal `{}`; roots that constrain through a `$ref`, an
 * `allOf` member or every `anyOf` member still pass, and so does OpenAI's own document.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiProblem, OPENAPI_COMPONENTS } from '../src/checks/schemas/from-openapi.ts';
import { REFERENCE, cli } from './helpers/harness.ts';

const ROOTS = Object.values(OPENAPI_COMPONENTS);
const ANY = { $ref: '#/components/schemas/Any' };
const OBJ = { $ref: '#/components/schemas/Obj' };
/** The five roots constraining (`type: object`), with `bad` replacing some, beside `Any: {}` and `Obj: {type: object}`. */
const doc = (bad: Record<string, unknown>) => ({
  components: { schemas: { Any: {}, Obj: { type: 'object' }, Loop: { $ref: '#/components/schemas/Loop2' }, Loop2: { allOf: [{ $ref: '#/components/schemas/Loop' }] }, ...Object.fromEntries(ROOTS.map((r) => [r, { type: 'object' }])), ...bad } },
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openapi-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a root that validates nothing through $ref or a combinator is refused', () => {
  it.each([
    ['a $ref to {}', ANY],
    ['nullable beside a $ref to {}', { nullable: true, $ref: ANY.$ref }],
    ['an empty allOf', { allOf: [] }],
    ['an allOf of {} and a $ref to {}', { allOf: [{}, ANY] }],
    ['an anyOf with a member that accepts all', { anyOf: [OBJ, ANY] }],
    ['a oneOf of an annotation-only member', { oneOf: [{ description: 'x' }] }],
    ['a $ref chain to {}', { $ref: '#/components/schemas/Chain' }],
    ['a $ref loop', { $ref: '#/components/schemas/Loop' }],
  ])('%s', (_name, schema) => {
    const problem = openApiProblem({ components: { schemas: { ...doc({ Response: schema }).components.schemas, Chain: ANY } } });
    expect(problem).toMatch(/^components\.schemas\.Response validates nothing \(/);
  });

  it.each([
    ['a $ref to an object schema', OBJ],
    ['nullable beside a $ref to an object schema', { nullable: true, $ref: OBJ.$ref }],
    ['an allOf with one constraining member', { allOf: [ANY, OBJ] }],
    ['an anyOf whose members all constrain', { anyOf: [OBJ, { type: 'string' }] }],
    ['a $ref beside its own keyword', { $ref: ANY.$ref, required: ['id'] }],
  ])('passes %s', (_name, schema) => {
    expect(openApiProblem(doc({ Response: schema }))).toBeUndefined();
  });

  it('the run stops before anything is sent, exit 2, naming the first such root (the review repro)', async () => {
    const file = join(dir, 'oa-ref.yaml');
    await writeFile(
      file,
      `openapi: 3.1.0
components:
  schemas:
    Any: {}
    CreateChatCompletionResponse: { $ref: '#/components/schemas/Any' }
    CreateChatCompletionStreamResponse: { $ref: '#/components/schemas/Any' }
    Response: { $ref: '#/components/schemas/Any' }
    ResponseStreamEvent: { allOf: [] }
    ErrorResponse: { nullable: true, $ref: '#/components/schemas/Any' }
`,
    );
    const reports = join(dir, 'r');
    const run = await cli(['run', '--openapi', file, '--models', 'openai.gpt-oss-20b', '--checks', 'schema.*', '--report-dir', reports, '--quiet']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`--openapi ${file}: components.schemas.CreateChatCompletionResponse validates nothing`);
    expect(existsSync(join(reports, 'matrix.json'))).toBe(false);
  });
});

const OPENAPI = join(REFERENCE, 'openai-openapi/openapi.yaml');
describe.skipIf(!existsSync(OPENAPI))("OpenAI's own openapi.yaml", () => {
  it('is still accepted', async () => {
    expect(openApiProblem(parse(await readFile(OPENAPI, 'utf8'), { maxAliasCount: -1 }))).toBeUndefined();
  });
});
