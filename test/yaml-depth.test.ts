/**
 * A catalog, suite or expectations file nested thousands of levels deep (`x: [[[[...`) once gave
 * `file:line:col Maximum call stack size exceeded` as the whole message (yaml composes recursively), which reads like
 * a harness crash, and a hundred thousand levels ran yaml out of memory after minutes. Nesting past MAX_YAML_DEPTH
 * is refused before yaml builds anything, with its place and the fix, as an alias bomb is. A fixture whose response
 * JSON nests thousands deep (no recording writes one: storeResponse keeps such a body as its text) says so too.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseYamlSource } from '../src/suite/yaml-source.ts';
import { parseFixture } from '../src/transport/fixture-file.ts';
import { cli } from './helpers/harness.ts';

const flow = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const NESTED_TOO_DEEP = /lists and mappings are nested more than 64 levels deep here; flatten the value/;

describe('YAML nested too deep', () => {
  it('5000 nested `[` are refused at the 65th level, with the limit and the fix, not a stack overflow', () => {
    const { source, problems } = parseYamlSource('deep.yaml', `a: 1\nx: ${flow(5000)}\n`);
    expect(source).toBeNull();
    // Line 2: the top-level mapping and 63 brackets make 64 levels; the 64th bracket, at column 3 + 64, is the 65th.
    expect(problems).toEqual([expect.stringMatching(/^deep\.yaml:2:67 /)]);
    expect(problems[0]).toMatch(NESTED_TOO_DEEP);
    expect(problems.join('\n')).not.toMatch(/call stack|stack overflow/i);
  });

  it('64 levels (the top-level mapping and 63 lists) load; one more is refused', () => {
    expect(parseYamlSource('ok.yaml', `x: ${flow(63)}\n`).problems).toEqual([]);
    expect(parseYamlSource('no.yaml', `x: ${flow(64)}\n`).problems).toEqual([expect.stringMatching(NESTED_TOO_DEEP)]);
  });

  it('block nesting counts too (`- - - ...` on one line, and indented mappings)', () => {
    expect(parseYamlSource('seq.yaml', `x:\n${'- '.repeat(3000)}a\n`).problems).toEqual([expect.stringMatching(/^seq\.yaml:2:\d+ lists and mappings are nested more than 64/)]);
    const indented = `x:\n${Array.from({ length: 70 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')} v\n`;
    expect(parseYamlSource('map.yaml', indented).problems).toEqual([expect.stringMatching(/^map\.yaml:65:65 lists and mappings are nested more than 64/)]);
  });

  it('the bundled catalog and suites are well within the limit', async () => {
    for (const name of ['models.yaml', 'tools.suite.yaml', 'agentic.suite.yaml', 'expectations.yaml']) {
      expect(parseYamlSource(name, await readFile(join('suites', name), 'utf8')).problems, name).toEqual([]);
    }
  });
});

describe('the commands on a file nested too deep', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-yaml-depth-'));
    await writeFile(join(dir, 'deep.yaml'), `catalog: mantle\nsources:\n  x: ${flow(5000)}\n`);
    await mkdir(join(dir, 'suites'));
    await writeFile(join(dir, 'suites', 'deep.suite.yaml'), `suite: deep\ncases:\n  - id: a\n    x: ${flow(5000)}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['validate --catalog', ['validate', '--catalog']],
    ['catalog --catalog', ['catalog', '--catalog']],
    ['catalog --check --catalog', ['catalog', '--check', '--catalog']],
  ])('%s: exit 2, HARNESS_CATALOG_INVALID with file:line:col and the limit', async (_name, args) => {
    const result = await cli([...args, join(dir, 'deep.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/HARNESS_CATALOG_INVALID: .*deep\.yaml:3:68 lists and mappings are nested more than 64 levels deep here/);
    expect(result.stderr).not.toMatch(/call stack/i);
  });

  it('validate --suites: exit 2, HARNESS_SUITE_INVALID with file:line:col and the limit', async () => {
    const result = await cli(['validate', '--suites', join(dir, 'suites')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/HARNESS_SUITE_INVALID: .*deep\.suite\.yaml:4:\d+ lists and mappings are nested more than 64 levels deep here/);
    expect(result.stderr).not.toMatch(/call stack/i);
  });
});

describe('a fixture whose JSON nests thousands deep', () => {
  const fixture = (response: string, body = '{"model":"m"}') => `{
  "format": "mantle-conformance.fixture/1",
  "model": "m",
  "case": "c",
  "provenance": { "source": "live", "target": "t", "endpointHost": "h", "region": null, "recordedAt": "2026-01-01T00:00:00.000Z", "harnessVersion": "v" },
  "exchanges": [
    {
      "step": "main",
      "prefix": "/v1",
      "request": { "method": "POST", "path": "/v1/chat/completions", "headers": {}, "body": ${body} },
      "response": { "status": 200, "headers": { "content-type": "application/json" }, "json": ${response} },
      "error": null,
      "durationMs": 1,
      "attempts": 1
    }
  ]
}
`;

  it('in a response or a request body: HARNESS_RECORDING_INVALID naming the file and why, not a stack overflow', () => {
    for (const text of [fixture(`{"deep":${flow(20000)}}`), fixture('{"ok":true}', `{"deep":${flow(20000)}}`)]) {
      let thrown: unknown;
      try {
        parseFixture(text, 'f.json');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'HARNESS_RECORDING_INVALID' });
      expect((thrown as Error).message).toMatch(/^f\.json holds a body nested too deep to read \(a recording keeps such a body as its text\); delete it and record it again/);
    }
  });

  it('the same file with shallow bodies reads', () => {
    expect(parseFixture(fixture('{"ok":true}'), 'f.json').exchanges).toHaveLength(1);
  });
});
