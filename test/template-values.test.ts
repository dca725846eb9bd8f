/**
 * A template with no real value is never sent (review: `{{steps.create.__proto__}}` went as `GET /responses/{}` and
 * its 404 passed responses.store-false; `constructor` went as `/responses/undefined`). Only the answer's own JSON
 * data is a value; null, an object or an array has no value in a path, a header or text; the step is not sent and
 * the cell says why. A step's value in a path is percent-encoded, so an id cannot change the route.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { buildRequest } from '../src/run/case-runner.ts';
import type { LoadedCase } from '../src/suite/load-suites.ts';
import { resolvePath, templatesIn, unusableAs, type TemplateUse } from '../src/suite/templates.ts';
import { ROOT, catalogEmulator, cli } from './helpers/harness.ts';

let dir: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'template-values-values-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** The bundled suites plus one case whose `get` step is `get`, named `name`, checked by `check`. */
async function runWith(name: string, get: string, check: string, store = true): Promise<{ code: number; cell: Matrix['results'][number]; out: string }> {
  const suites = join(dir, name);
  await cp(join(ROOT, 'suites'), suites, { recursive: true });
  await writeFile(
    join(suites, 'mine.suite.yaml'),
    `suite: mine
cases:
  - id: mine.chain
    title: a template that cannot be filled
    api: responses
    steps:
      - id: create
        request: { body: { input: Reply with the word OK., max_output_tokens: 16, store: ${store} } }
      - id: get
        request: ${get}
    checks: [${check}]
`,
  );
  const reports = join(dir, `${name}-reports`);
  const result = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--auth', 'none', '--suites', suites, '--models', 'openai.gpt-oss-20b', '--checks', check, '--report-dir', reports, '--plain']);
  const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
  const cell = matrix.results.find((r) => r.check === check)!;
  return { code: result.code, cell, out: result.stdout + result.stderr };
}

describe('a template with no value', () => {
  it.each([
    { field: '__proto__', why: 'has no value: step create answered HTTP 200 without it' },
    { field: 'constructor', why: 'has no value: step create answered HTTP 200 without it' },
    { field: 'toString', why: 'has no value: step create answered HTTP 200 without it' },
    { field: 'hasOwnProperty', why: 'has no value: step create answered HTTP 200 without it' },
    { field: 'output.length', why: 'has no value: step create answered HTTP 200 without it' },
    { field: 'error', why: 'has no value in a path: step create answered HTTP 200 where it is null' },
    { field: 'usage', why: 'has no value in a path: step create answered HTTP 200 where it is an object' },
    { field: 'output', why: 'has no value in a path: step create answered HTTP 200 where it is an array' },
  ])('{{steps.create.$field}} in a path: the GET is not sent, and store-false is no pass', async ({ field, why }) => {
    const { code, cell } = await runWith(`path-${field.replace('.', '-')}`, `{ method: GET, path: "/responses/{{steps.create.${field}}}" }`, 'responses.store-false', false);
    expect(cell.status, cell.reason).toBe('skipped');
    expect(cell.reason).toContain(`step get not sent: case mine.chain, step get: {{steps.create.${field}}} ${why}`);
    expect(JSON.stringify(cell.evidence)).not.toMatch(/GET \/\S*\/responses\//);
    expect(code).toBe(1);
  });

  it('responses.retrieve: {{steps.create.constructor}} is not sent as /responses/undefined, and is no fail', async () => {
    const { cell } = await runWith('retrieve-constructor', '{ method: GET, path: "/responses/{{steps.create.constructor}}" }', 'responses.retrieve');
    expect(cell.status, cell.reason).toBe('skipped');
    expect(cell.reason).toContain('{{steps.create.constructor}} has no value');
  });

  it('an object in a header is not sent as "[object Object]"', async () => {
    const header = await runWith('header-usage', '{ method: GET, path: "/responses/{{steps.create.id}}", headers: { x-usage: "{{steps.create.usage}}" } }', 'responses.retrieve');
    expect(header.cell.reason).toContain('{{steps.create.usage}} has no value in a header: step create answered HTTP 200 where it is an object');
  });

  it('a body field that is one template of an inherited name is not sent without it (JSON.stringify would drop it)', async () => {
    const { cell } = await runWith('body-constructor', '{ body: { input: Hi, max_output_tokens: 16, previous_response_id: "{{steps.create.constructor}}" } }', 'responses.retrieve');
    expect(cell.reason).toContain('step get not sent: case mine.chain, step get: {{steps.create.constructor}} has no value: step create answered HTTP 200 without it');
  });

  it('a real id is still filled, so the bundled lifecycle is judged as before', async () => {
    const { cell } = await runWith('real-id', '{ method: GET, path: "/responses/{{steps.create.id}}" }', 'responses.retrieve');
    expect(cell.status, cell.reason).toBe('pass');
  });
});

describe('rendering', () => {
  it('reads own fields only, arrays by index only', () => {
    const body = JSON.parse('{"id": "r1", "output": [{"type": "x", "id": "o1"}], "__proto__": "own"}') as unknown;
    expect(resolvePath(body, [{ key: 'constructor' }])).toBeUndefined();
    expect(resolvePath(body, [{ key: '__proto__' }])).toBe('own');
    expect(resolvePath(body, [{ key: 'output' }, { key: 'length' }])).toBeUndefined();
    expect(resolvePath(body, [{ key: 'output' }, { where: 'constructor', equals: 'function Object() { [native code] }' }])).toBeUndefined();
    expect(resolvePath(body, [{ key: 'output' }, { where: 'type', equals: 'x' }, { key: 'id' }])).toBe('o1');
  });

  it('inside a longer body string a JSON value goes as its JSON text; in a path it is refused', () => {
    const spec = { id: 'c', api: 'chat-completions', steps: [], checks: [] } as unknown as LoadedCase;
    const value = { role: 'assistant', content: 'OK' };
    const scope = { model: 'm', step: (_ref: unknown, use: TemplateUse) => (unusableAs(value, use) ? 'refused' : value) };
    const body = { messages: [{ role: 'user', content: 'Your last answer was {{steps.first.choices.0.message}}; repeat it' }] };
    const step = { id: 'second', request: { body }, visibleOutput: false };
    const sent = JSON.parse(buildRequest(spec, step, '/v1', scope).body!) as { messages: { content: string }[] };
    expect(sent.messages[0]!.content).toBe('Your last answer was {"role":"assistant","content":"OK"}; repeat it');
    expect(unusableAs(value, 'path')).toBe('it is an object');
    expect(unusableAs(null, 'text')).toBeUndefined();
  });

  it('a step value in a path is percent-encoded: a / or ? in an id does not change the route', () => {
    const spec = { id: 'c', api: 'responses', steps: [], checks: [] } as unknown as LoadedCase;
    const step = { id: 'get', request: { method: 'GET' as const, path: '/responses/{{steps.create.id}}?x={{steps.create.id}}' }, visibleOutput: false };
    const request = buildRequest(spec, step, '/v1', { model: 'm', step: () => 'resp/../models?a=b' });
    expect(request.path).toBe('/v1/responses/resp%2F..%2Fmodels%3Fa%3Db?x=resp%2F..%2Fmodels%3Fa%3Db');
  });

  // Hostile review of authoring, 2026-12-05: an answer whose id was ".." sent GET /v1/ and DELETE /v1/ (the URL
  // parser reads the segment as the folder above), and passed a check on a route it never asked for; a header of
  // "€" was refused by undici and read as a connection failure, retried.
  it('a dot segment in a path, or a character a header cannot carry, is refused: the step is not sent', () => {
    expect(unusableAs('..', 'path')).toBe('it is "..", a dot segment that would change the route');
    expect(unusableAs('.', 'path')).toBe('it is ".", a dot segment that would change the route');
    expect(unusableAs('a..b', 'path')).toBeUndefined();
    expect(unusableAs('..', 'text')).toBeUndefined();
    expect(unusableAs('price in €', 'header')).toBe('it holds a control character or one a header cannot carry (outside Latin-1)');
    expect(unusableAs('caf\u00e9', 'header')).toBeUndefined();
    expect(unusableAs('a\u0085b', 'header')).toBe('it holds a control character or one a header cannot carry (outside Latin-1)');
  });

  it('a template one brace short is found; prose and code that mention steps or end in }} are not', () => {
    // Anywhere: an opening pair left unclosed.
    for (const half of ['/responses/{{steps.create.id}', '{{model}', 'x {{ generated.image }']) expect(templatesIn(half).problems, half).toHaveLength(1);
    // In a path or a header (no prompt fills them): one brace or none before a step path.
    for (const half of ['/responses/{steps.create.id}}', '/responses/{ steps.create.id }}/input_items', '/responses/steps.create.id}}/input_items', '/responses/{steps.create.id}', '/r/{...steps.a.output}}']) {
      expect(templatesIn(half, 'route').problems, half).toHaveLength(1);
    }
    expect(templatesIn('/responses/{steps.create.id}}', 'route').problems[0]!.template).toBe('{steps.create.id}}');
    for (const fine of ['/responses/{{steps.create.id}}', '/responses/{{ steps.create.id }}/input_items', '/v1/models']) expect(templatesIn(fine, 'route').problems, fine).toEqual([]);
    // In a body, code and JSON in a prompt look like that, and are left alone.
    for (const prose of [
      'Reply with JSON shaped like {"result": {"note": "followed the steps."}}',
      '{"a": {"b": "see generated.txt"}}',
      'const x = {a: {b: steps.count}};',
      'for steps.Next() { f() }}',
      'plain {{ text',
      'a }} b',
      'Hello {{model}}',
      '{{ steps.create.id }}',
      'What does this return? const o = {outer: {inner: steps.first.id}};',
      'const o = {a: {...steps.first}}',
      'x = {"ids": {steps.first.id}}',
      '/responses/{steps.create.id}}',
    ]) {
      expect(templatesIn(prose).problems, prose).toEqual([]);
    }
  });

  it('validate refuses a template one brace short, at its line and column', async () => {
    const suites = join(dir, 'half');
    await cp(join(ROOT, 'suites'), suites, { recursive: true });
    await writeFile(
      join(suites, 'mine.suite.yaml'),
      `suite: mine
cases:
  - id: mine.half
    title: a template one brace short
    api: responses
    steps:
      - id: create
        request: { body: { model: "{{model}}", input: "Say OK." } }
      - id: get
        request: { method: GET, path: "/responses/{{steps.create.id}", headers: { x-prev: "steps.create.id}}" } }
    checks: [responses.retrieve]
`,
    );
    const result = await cli(['validate', '--suites', suites]);
    expect(result.code).toBe(2);
    expect(result.stderr + result.stdout).toMatch(/mine\.suite\.yaml:10:\d+ .*\{\{steps\.create\.id\}: is a template without two braces on each side/);
    // A header is no prompt: a step path with no opening brace there is a broken template too.
    expect(result.stderr + result.stdout).toMatch(/mine\.suite\.yaml:10:\d+ .*steps\.create\.id\}\}: is a template without two braces on each side/);
  });
});
