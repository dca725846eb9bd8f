/**
 * A check that looks up steps by id (responses.delete reads `get-after-delete`) is refused at load on a case that
 * lacks them, with file:line:col of the case's `checks` entry: before, validate said ok and the run marked the check
 * `skipped` with the gate green. The bundled suites name every step their checks read.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { loadSuites } from '../src/suite/load-suites.ts';
import { cli, projectSuites } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'check-steps-check-steps-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const RENAMED = `suite: mine
cases:
  - id: mine.renamed
    title: the lifecycle with its steps renamed
    api: responses
    steps:
      - id: make
        request: { body: { input: Reply with the word OK., max_output_tokens: 16 } }
      - id: fetch
        request: { method: GET, path: "/responses/{{steps.make.id}}" }
    checks: [responses.retrieve, responses.delete]
`;

async function folderWith(name: string, text: string): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'mine.suite.yaml'), text);
  return folder;
}

describe('checks that read steps by id', () => {
  it('validate refuses a case without the steps its checks read, naming the checks entry and the steps', async () => {
    const folder = await folderWith('renamed', RENAMED);
    const file = join(folder, 'mine.suite.yaml');
    const result = await cli(['validate', '--suites', folder]);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(`${file}:11:14 check "responses.retrieve" reads the steps create, get of its case, and case "mine.renamed" has no create, get (its steps: make, fetch)`);
    expect(result.stderr).toContain(`${file}:11:34 check "responses.delete" reads the steps create, delete, get-after-delete of its case, and case "mine.renamed" has no create, delete, get-after-delete`);
    expect(result.stderr).toContain("give the steps those ids (a suite copied from an older mantle-conformance: the bundled suites/ hold the steps this version's checks read), or drop the check from this case, which leaves it unchecked");
  });

  it('a single-request case cannot name a check that reads a named step', async () => {
    const folder = await folderWith('single', RENAMED.replace(/ {4}steps:[\s\S]*?(?= {4}checks)/, '    request: { body: { input: Hi, max_output_tokens: 16 } }\n').replace('[responses.retrieve, responses.delete]', '[responses.previous-response-id]'));
    const error = (await loadSuites(folder, ALL_CHECKS).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('HARNESS_SUITE_INVALID');
    expect(error.message).toContain('check "responses.previous-response-id" reads the steps first, second of its case, and case "mine.renamed" has no first, second (its steps: main)');
  });

  it('the same case with the steps the checks read loads', async () => {
    const named = RENAMED.replaceAll('make', 'create').replace('id: fetch', 'id: get').replace('[responses.retrieve, responses.delete]', '[responses.retrieve]');
    const { cases } = await loadSuites(await folderWith('named', named), ALL_CHECKS);
    expect(cases.map((c) => c.id)).toEqual(['mine.renamed']);
  });

  it('a step a check reads only when it is there is not required: params.max-tokens without control, responses.delete without get', async () => {
    const optional = `suite: mine
cases:
  - id: mine.limit
    title: a limit, no control
    api: chat-completions
    steps:
      - id: limited
        request: { body: { messages: [{ role: user, content: Count to 50. }], max_tokens: 8 } }
    checks: [params.max-tokens]
  - id: mine.delete
    title: delete without the first get
    api: responses
    steps:
      - id: create
        request: { body: { input: Reply with the word OK., max_output_tokens: 16 } }
      - id: delete
        request: { method: DELETE, path: "/responses/{{steps.create.id}}" }
      - id: get-after-delete
        request: { method: GET, path: "/responses/{{steps.create.id}}" }
    checks: [responses.delete]
`;
    const { cases } = await loadSuites(await folderWith('optional', optional), ALL_CHECKS);
    expect(cases.map((c) => c.id)).toEqual(['mine.limit', 'mine.delete']);
  });

  it('every bundled case has the steps its checks read', async () => {
    const { suites } = await projectSuites();
    const declared = ALL_CHECKS.filter((check) => check.readsSteps?.length).map((check) => check.id);
    expect(declared).toEqual(expect.arrayContaining(['responses.retrieve', 'responses.delete', 'responses.store-false', 'responses.background', 'tools.chat.result-turn', 'params.stop']));
    for (const spec of suites.cases) {
      for (const id of spec.checks) {
        for (const step of ALL_CHECKS.find((check) => check.id === id)?.readsSteps ?? []) expect(spec.steps.map((s) => s.id), `${spec.id} for ${id}`).toContain(step);
      }
    }
  });
});

describe('a suite file with a schema problem', () => {
  it('still has its sound cases checked for meaning, in the same round', async () => {
    const text = `suite: mine
cases:
  - id: mine.broken
    title: an unknown field
    api: responses
    colour: blue
    request: { body: { input: Hi } }
    checks: [api.responses]
  - id: mine.meaning
    title: sound in form, wrong in meaning
    api: responses
    request: { method: GET, path: "/responses/{{steps.create.id}}" }
    checks: [responses.retreive]
`;
    const folder = await folderWith('schema-and-meaning', text);
    const file = join(folder, 'mine.suite.yaml');
    const error = (await loadSuites(folder, ALL_CHECKS).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('HARNESS_SUITE_INVALID');
    expect(error.message).toContain(`${file}:6:5 `);
    expect(error.message).toContain('unknown field "colour"');
    expect(error.message).toContain(`${file}:13:14 unknown check "responses.retreive" (did you mean "responses.retrieve"?)`);
    expect(error.message).toContain(`${file}:12:35 {{steps.create...}} refers to no earlier step of case "mine.meaning"`);
  });

  it('whose cases are no list reports the schema problem alone, without a crash', async () => {
    const folder = await folderWith('no-list', 'suite: mine\ncases: { id: x }\n');
    const error = (await loadSuites(folder, ALL_CHECKS).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('HARNESS_SUITE_INVALID');
    expect(error.message).toContain('mine.suite.yaml:2:8');
  });
});
