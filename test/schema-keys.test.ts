/**
 * Map keys, header fields, step ids and the case shape are refused by the schemas (loader and editor alike), with
 * one clear located line per mistake: a union's failed branches read as the one branch that fits the value.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { HarnessErrorList } from '../src/errors.ts';
import { loadCatalog } from '../src/suite/load-catalog.ts';
import { loadExpectations } from '../src/suite/load-expectations.ts';
import { loadSuites } from '../src/suite/load-suites.ts';
import { ROOT, cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'schema-keys-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function problems(load: () => Promise<unknown>): Promise<readonly string[]> {
  try {
    await load();
  } catch (error) {
    if (error instanceof HarnessErrorList) return error.problems;
    throw error;
  }
  return [];
}

let n = 0;
async function expectationsProblems(text: string, catalog?: { id: string }) {
  const file = join(dir, `e${n++}.yaml`);
  await writeFile(file, text);
  return { file, problems: await problems(() => loadExpectations(file, ALL_CHECKS, catalog)) };
}

/** The editor schema as shipped: it must refuse what the loader refuses. */
async function shippedRefuses(name: string, data: unknown): Promise<boolean> {
  const schema = JSON.parse(await readFile(join(ROOT, 'suites', 'schema', name), 'utf8')) as object;
  return !new Ajv({ allErrors: true, strict: false }).validate(schema, data);
}

describe('expectations: every map key is checked, and so is its value', () => {
  it('a model outside the catalog (any model id) still has its entries validated', async () => {
    const { file, problems: found } = await expectationsProblems(
      'expectations: mantle\nmodels:\n  OpenAI.gpt-oss-20b:\n    path-prefix: {observed: /v1, reason: [1, 2], link: {x: 1}}\n    api.chat-completions: {observed: supported, reason: {a: 1}}\n',
    );
    expect(found).toEqual([
      `${file}:4:42 models.OpenAI.gpt-oss-20b.path-prefix.reason: must be a string (got a list)`,
      `${file}:4:56 models.OpenAI.gpt-oss-20b.path-prefix.link: must be a string (got a mapping)`,
      `${file}:5:57 models.OpenAI.gpt-oss-20b.api.chat-completions.reason: must be a string (got a mapping)`,
    ]);
  });

  it('a key that is no model, check or target id is refused, naming it and what a key must be', async () => {
    const { file, problems: found } = await expectationsProblems(
      'expectations: mantle\nmodels:\n  _weird:\n    created-at.chat: integer\n  openai.gpt-oss-20b:\n    Created-At.Chat: integer\n    created-at.responses: {targets: {us east 1: integer}}\n',
    );
    expect(found).toEqual([
      `${file}:3:3 models: key "_weird" is not a model id: letters, digits and . _ : / @ + -, starting with a letter, a digit or /`,
      `${file}:6:5 models.openai.gpt-oss-20b: key "Created-At.Chat" is not a check id: lower-case letters, digits, . and - (did you mean "created-at.chat"?)`,
      `${file}:7:38 models.openai.gpt-oss-20b.created-at.responses.targets: key "us east 1" is not a target name (a region or --target-name): letters, digits and . _ -, starting with a letter or digit`,
    ]);
    expect(await shippedRefuses('expectations.schema.json', { expectations: 'mantle', models: { _weird: {} } })).toBe(true);
  });

  it('one mistake in a union-typed value is one line', async () => {
    const { file, problems: found } = await expectationsProblems(
      'expectations: mantle\nmodels:\n  openai.gpt-oss-20b:\n    created-at.chat: {observed: integer, reson: typo}\n    stream.chat-completions: [conformant]\n    created-at.responses: {targets: "us-east-1"}\n    path-prefix: {observed: {a: 1}}\n',
    );
    expect(found).toEqual([
      `${file}:4:42 models.openai.gpt-oss-20b.created-at.chat: unknown field "reson" (allowed: observed, reason, link, targets)`,
      `${file}:5:30 models.openai.gpt-oss-20b.stream.chat-completions: a list here needs at least 2 values (got 1); write one value without [ ]`,
      `${file}:6:37 models.openai.gpt-oss-20b.created-at.responses.targets: must be an object (got string "us-east-1")`,
      `${file}:7:29 models.openai.gpt-oss-20b.path-prefix.observed: must be a string, a number, null or a list (got a mapping)`,
    ]);
  });

  it('a file written for another catalog is refused when the catalog is known', async () => {
    const text = 'expectations: nonsense-catalog\nmodels:\n  openai.gpt-oss-20b:\n    created-at.chat: integer\n';
    const { file, problems: found } = await expectationsProblems(text, { id: 'mantle' });
    expect(found).toEqual([
      `${file}:1:15 expectations: this file is for catalog "nonsense-catalog", and the catalog loaded is "mantle"; write \`expectations: mantle\` if its entries are meant for that catalog, or name this catalog's own expectations file`,
    ]);
    expect((await expectationsProblems(text.replace('nonsense-catalog', 'mantle'), { id: 'mantle' })).problems).toEqual([]);
    // validate and run load it with the catalog they resolved: refused before anything is sent.
    const other = join(dir, 'other-catalog.yaml');
    await writeFile(other, text);
    for (const command of [['validate'], ['run', '--report-dir', join(dir, 'other-catalog-reports')]]) {
      const said = await cli([...command, '--expectations', other]);
      expect([said.code, said.stderr]).toEqual([2, expect.stringContaining('this file is for catalog "nonsense-catalog", and the catalog loaded is "mantle"')]);
    }
  });
});

describe('catalog: keys and regions', () => {
  const catalog = (tail: string) =>
    `catalog: t\nsources:\n  s: a source\nregions:\n  us-east-1: s\nfamilies:\n  - id: f\n    title: F\nmodels:\n  - id: m.one\n    family: f\n    source: s\n${tail}`;
  const load = async (text: string) => {
    const file = join(dir, `c${n++}.yaml`);
    await writeFile(file, text);
    return { file, problems: await problems(() => loadCatalog(file, ALL_CHECKS)) };
  };

  it('a misspelt region reads as one line with the region it means', async () => {
    const { file, problems: found } = await load(catalog('    regions: [us-east1]\n'));
    expect(found).toEqual([`${file}:13:15 models[0].regions[0]: "us-east1" must match ^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$ (did you mean "us-east-1"?)`]);
  });

  it('a region the harness takes (names.ts: -iso, two digits) is a region here too', async () => {
    const text = catalog('    regions: [us-iso-east-1, ap-southeast-10]\n').replace('  us-east-1: s\n', '  us-east-1: s\n  us-iso-east-1: s\n  ap-southeast-10: s\n');
    expect((await load(text)).problems).toEqual([]);
  });

  it('an expect key and a sources key that fail their pattern are refused', async () => {
    const { file, problems: found } = await load(catalog('    expect:\n      Created-At.Chat: {value: integer, source: s}\n').replace('  s: a source\n', '  s: a source\n  My Blog: x\n'));
    expect(found).toEqual([
      `${file}:4:3 sources: key "My Blog" is not a source key: lower-case letters, digits and . / # -, starting with a letter or digit`,
      `${file}:15:7 models[0].expect: key "Created-At.Chat" is not a check id: lower-case letters, digits, . and - (did you mean "created-at.chat"?)`,
    ]);
  });
});

describe('suites: headers, step ids and the case shape', () => {
  const suite = (request: string, extra = '') =>
    `suite: s\ncases:\n  - id: c.one\n    title: T\n    api: chat-completions\n${extra}${request}    checks: [created-at.chat]\n`;
  const load = async (text: string) => {
    const folder = join(dir, `s${n++}`);
    await mkdir(folder);
    const file = join(folder, 'x.suite.yaml');
    await writeFile(file, text);
    return { file, problems: await problems(() => loadSuites(folder, ALL_CHECKS)) };
  };

  it('a header value that is not a string, a field name that is not a token, a value with a line break', async () => {
    const { file, problems: found } = await load(suite('    request:\n      headers: {x-num: 5, "x bad": v, x-crlf: "a\\r\\nb"}\n      body: {}\n'));
    expect(found).toEqual([
      `${file}:7:27 cases[0].request.headers: key "x bad" is not a header name: letters, digits and ! # $ % & ' * + - . ^ _ \` | ~ (no spaces or colons)`,
      `${file}:7:24 cases[0].request.headers.x-num: must be a string or null (got number 5)`,
      `${file}:7:47 cases[0].request.headers.x-crlf: "a\\r\\nb" must match ^[^\\r\\n\\u0000]*$`,
    ]);
    expect(await shippedRefuses('suite.schema.json', { suite: 's', cases: [{ id: 'c', title: 'T', api: 'models', request: { headers: { 'x bad': 'v' } }, checks: ['x'] }] })).toBe(true);
    // Every token character is a header name (x_custom, x.y): nothing the HTTP client would refuse is refused here.
    expect((await load(suite('    request:\n      headers: {x_custom: v, "x.y~z": w}\n      body: {}\n'))).problems).toEqual([]);
  });

  it('a step id with a dot is refused (no template could name it)', async () => {
    const { file, problems: found } = await load(suite('    steps:\n      - id: a.b\n        request: {body: {}}\n'));
    expect(found).toEqual([`${file}:7:13 cases[0].steps[0].id: "a.b" must match ^[a-z0-9][a-z0-9-]*$`]);
  });

  it.each([
    ['neither request nor steps', '', '', 'cases[0]: has neither request nor steps; add a request', '3:5'],
    ['both', '    request: {body: {}}\n    steps:\n      - {id: a, request: {body: {}}}\n', '', 'cases[0]: has both request and steps; use request for one step, steps for several', '3:5'],
    ['probe with steps', '    steps:\n      - {id: a, request: {body: {}}}\n', '    probe: true\n', 'cases[0]: a probe case must be a single request (it is sent once per route prefix): use request, not steps', '3:5'],
  ])('%s: one line, and the editor schema refuses it too', async (_, request, extra, message, at) => {
    const { file, problems: found } = await load(suite(request, extra));
    expect(found).toEqual([`${file}:${at} ${message}`]);
    const { parse } = await import('yaml');
    expect(await shippedRefuses('suite.schema.json', parse(suite(request, extra)))).toBe(true);
  });
});
