/**
 * `--openapi FILE` whose required components are no schemas (hostile review rvE, finding 5): a `components.schemas`
 * that was a string crashed the run with HARNESS_INTERNAL, a stack and the file's text; `Response: null` made every
 * schema.response cell HARNESS_INTERNAL; `{}` made every schema.* check `valid` with nothing validated. Each is
 * refused before the run, exit 2, in one line naming the flag, the file and the JSON path, quoting none of its values;
 * so is a root that reaches what ajv cannot compile (its message, which quotes the value, is not repeated).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiProblem, OPENAPI_COMPONENTS } from '../src/checks/schemas/from-openapi.ts';
import { REFERENCE, cli } from './helpers/harness.ts';

const SECRET = 'sk-SECRETSECRETSECRET';
const ROOTS = Object.values(OPENAPI_COMPONENTS);
/** The five roots, each a real (if tiny) schema, with `name` replaced by `bad` (its YAML text). */
const withRoot = (name: string, bad: string) =>
  `openapi: 3.1.0\ncomponents:\n  schemas:\n${ROOTS.map((root) => `    ${root}: ${root === name ? bad : '{type: object}'}`).join('\n')}\n`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openapi-shape-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('an --openapi document of the wrong shape is refused before the run, in one line quoting none of it', () => {
  it.each([
    ['components.schemas a string', `components:\n  schemas: "${SECRET}"\n`, 'components.schemas is a string, not a mapping of schemas'],
    ['components.schemas a list', `components:\n  schemas: ["${SECRET}"]\n`, 'components.schemas is a list, not a mapping of schemas'],
    ['components a string', `components: "${SECRET}"\n`, 'components is a string, not a mapping'],
    ['the whole document a string', `"${SECRET}"\n`, "its top level is a string, not an OpenAPI document's mapping"],
    ['a root a string', withRoot('CreateChatCompletionStreamResponse', `"${SECRET}"`), 'components.schemas.CreateChatCompletionStreamResponse is a string, not a schema object'],
    ['a root null', withRoot('Response', 'null'), 'components.schemas.Response is null, not a schema object'],
    ['a root a list', withRoot('ErrorResponse', `["${SECRET}"]`), 'components.schemas.ErrorResponse is a list, not a schema object'],
    ['a root a number', withRoot('CreateChatCompletionResponse', '5'), 'components.schemas.CreateChatCompletionResponse is a number, not a schema object'],
    ['a root {}', withRoot('ResponseStreamEvent', '{}'), 'components.schemas.ResponseStreamEvent validates nothing'],
    ['a root of annotations only', withRoot('Response', `{description: "${SECRET}", x-oaiMeta: {a: 1}, nullable: true}`), 'components.schemas.Response validates nothing'],
    ['a type no JSON Schema has, deep in a root', withRoot('Response', `{type: object, properties: {id: {type: "${SECRET}"}}}`), 'components.schemas.Response, or a schema it reaches, is no JSON Schema'],
    ['a $ref to no component', withRoot('ErrorResponse', '{$ref: "#/components/schemas/Gone"}'), 'components.schemas.ErrorResponse, or a schema it reaches, is no JSON Schema'],
  ])('%s', async (name, text, said) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    await writeFile(file, text);
    const reports = join(dir, `r-${name.replace(/\W+/g, '-')}`);
    const run = await cli(['run', '--openapi', file, '--models', 'openai.gpt-oss-20b', '--report-dir', reports, '--quiet']);
    expect(run.code, run.stderr).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]!.startsWith(`HARNESS_USAGE: --openapi ${file}: ${said}`), lines[0]).toBe(true);
    expect(lines[0]).toMatch(/; give OpenAI's openapi\.yaml$/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(SECRET);
    expect(run.stderr).not.toMatch(/HARNESS_INTERNAL|\n\s+at |This is a bug/);
    expect(existsSync(join(reports, 'matrix.json'))).toBe(false);
  });

  it('names the first bad root by its JSON path, and passes a document whose roots all constrain', () => {
    const roots = (bad: Record<string, unknown>) => ({ components: { schemas: { ...Object.fromEntries(ROOTS.map((r) => [r, { type: 'object' }])), ...bad } } });
    expect(openApiProblem(roots({}))).toBeUndefined();
    expect(openApiProblem(roots({ Response: { $ref: '#/components/schemas/Other' } }))).toBeUndefined();
    expect(openApiProblem(roots({ Response: null, ErrorResponse: 1 }))).toBe('components.schemas.Response is null, not a schema object');
    expect(openApiProblem(roots({ ErrorResponse: {} }))).toMatch(/^components\.schemas\.ErrorResponse validates nothing/);
    expect(openApiProblem({ components: null })).toBe('components is null, not a mapping');
    expect(openApiProblem({ components: {} })).toBe('no components.schemas in it');
    expect(openApiProblem(null)).toBe("its top level is null, not an OpenAPI document's mapping");
  });
});

const OPENAPI = join(REFERENCE, 'openai-openapi/openapi.yaml');
describe.skipIf(!existsSync(OPENAPI))("OpenAI's own openapi.yaml", () => {
  it('passes: each of its required components is a schema object that constrains', async () => {
    expect(openApiProblem(parse(await readFile(OPENAPI, 'utf8'), { maxAliasCount: -1 }))).toBeUndefined();
  });
});
