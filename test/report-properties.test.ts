/**
 * Properties of everything that reads a matrix.json or renders one (fast-check, in-process):
 * - any JSON value given to report / compare / merge / table / bless exits 0 or 2 (1 is the gate's verdict of a
 *   valid file), never 3;
 * - any string in any field renders as inert HTML (parsed as a browser does, with parse5), well-formed JUnit and
 *   one console line;
 * - any string as a run id, target name or model id is refused by src/names.ts or maps to a path inside its
 *   folder, distinct ids to distinct paths.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { Writable } from 'node:stream';
import { fc, test } from '@fast-check/vitest';
import { XMLValidator } from 'fast-xml-parser';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { main } from '../src/cli/main.ts';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import { HarnessError } from '../src/errors.ts';
import { folderName, nameFromFolder, nameProblem, type NameKind } from '../src/names.ts';
import { compareMatrices, describeComparison } from '../src/report/compare.ts';
import { HTML_SCRIPT, HTML_STYLE } from '../src/report/html-assets.ts';
import { renderHtml } from '../src/report/html-report.ts';
import { inertLine } from '../src/report/inert-text.ts';
import { renderJunit } from '../src/report/junit-report.ts';
import { renderMarkdown } from '../src/report/markdown-report.ts';
import { renderStepSummary } from '../src/report/step-summary.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
let validFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'properties-'));
  validFile = join(dir, 'valid.json');
  await writeFile(validFile, JSON.stringify(smallMatrix([{ model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'fail', observed: 'exponent' }])));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const quiet = () => new Writable({ write: (_c, _e, done) => done() }) as unknown as NodeJS.WriteStream;

/** Every path into the valid matrix, to put a random value at one of them. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}
const VALID = JSON.parse(JSON.stringify(smallMatrix())) as Record<string, unknown>;
const PATHS = paths(VALID).filter((p) => p.length > 0);

function setAt(root: unknown, path: readonly (string | number)[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  if (remove) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
  return copy;
}

const mutated = fc.tuple(fc.constantFrom(...PATHS), fc.jsonValue({ maxDepth: 3 }), fc.boolean()).map(([path, value, remove]) => setAt(VALID, path, value, remove));
const anyInput = fc.oneof(fc.jsonValue({ maxDepth: 4 }), mutated, mutated);

describe('any JSON value as a matrix.json', () => {
  let n = 0;
  test.prop([anyInput], { numRuns: 60 })('report, compare, merge, table and bless exit 0, 1 or 2, never 3', async (value) => {
    const file = join(dir, `input-${++n}.json`);
    await writeFile(file, JSON.stringify(value) ?? 'null');
    const io = { out: quiet(), err: quiet() };
    const runs = [
      ['report', file, '--report-dir', join(dir, `r${n}`)],
      ['compare', validFile, file],
      ['merge', file, validFile, '--report-dir', join(dir, `m${n}`)],
      ['table', file, '--format', 'csv', '--out', join(dir, `t${n}.csv`)],
      ['bless', file, '--expectations', join(dir, `e${n}.yaml`)],
    ];
    for (const args of runs) expect([0, 1, 2], args.join(' ')).toContain(await main(args, io));
  });
});

const PAYLOADS = ['<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', "'><svg onload=alert(1)>", '<b>', '</td></tr></table><a href=javascript:alert(1)>'];
const SPECIALS = [...PAYLOADS, '<', '>', '"', "'", '&', '</script>', '<!--', '\n', '\r', '\u001b[2J', '\u001b]0;x\u0007', '::error::', '|', '\uffff', '\ufffe', '\ud800', '\udfff', '\u2028', '\u0000', '`', '${', 'on', '=', 'javascript:'];
const unit = fc.oneof(fc.constantFrom(...SPECIALS), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('a', ' ', '.'));
const anyString = fc.oneof(fc.string({ unit, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
const FIELDS = ['model', 'check', 'target', 'status', 'reason', 'observed', 'expectedSource', 'excerpt', 'request', 'requestId', 'case', 'title', 'runId'] as const;

/** The valid matrix with `text` in one field of every result (or of the check, or of the run). */
function withText(field: (typeof FIELDS)[number], text: string): unknown {
  const m = structuredClone(VALID) as unknown as ReturnType<typeof smallMatrix>;
  if (field === 'title') m.checks.forEach((c) => (c.title = text));
  else if (field === 'runId') m.run.id = text;
  for (const r of m.results) {
    if (field === 'excerpt' || field === 'request' || field === 'requestId' || field === 'case') r.evidence = [{ case: 'c', step: 's', request: 'r', [field]: text }];
    else if (field === 'model' || field === 'target' || field === 'check') Object.assign(r, { [field]: text });
    else Object.assign(r, { [field]: text });
  }
  if (field === 'model') m.models[0]!.id = text;
  if (field === 'target') m.targets[0]!.id = text;
  return m;
}

type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['parentNode'];
const ALLOWED = new Set('html head meta title style body header h1 h2 h3 h4 p span strong small ul li section div table thead tbody tr th td button nav label select option input main aside script br code sup noscript'.split(' '));

/** Problems that would let the page do something: elements or attributes the renderer never writes, or another script. */
function activeContent(html: string): string[] {
  const problems: string[] = [];
  const scripts: string[] = [];
  const walk = (node: Node) => {
    if ('tagName' in node) {
      if (!ALLOWED.has(node.tagName)) problems.push(`element <${node.tagName}>`);
      for (const attr of node.attrs) if (/^on|^(href|src|srcdoc|action|formaction|style)$/i.test(attr.name)) problems.push(`attribute ${attr.name} on <${node.tagName}>`);
      if (node.tagName === 'script') scripts.push(node.childNodes.map((c) => ('value' in c ? c.value : '')).join(''));
    }
    const children = 'content' in node && node.content ? node.content.childNodes : 'childNodes' in node ? node.childNodes : [];
    for (const child of children) walk(child);
  };
  walk(parse(html) as unknown as Node);
  if (scripts.length !== 2) problems.push(`${scripts.length} scripts`);
  else {
    if (scripts[1] !== HTML_SCRIPT) problems.push('a changed page script');
    try {
      JSON.parse(scripts[0]!);
    } catch {
      problems.push('embedded data that is not JSON');
    }
  }
  if (!html.includes(`<style>${HTML_STYLE}</style>`)) problems.push('a changed stylesheet');
  return problems;
}

describe('any string in any field', () => {
  test.prop([fc.constantFrom(...FIELDS), anyString], { numRuns: 400 })('is refused, or renders as inert HTML, well-formed JUnit and one console line', (field, text) => {
    let matrix;
    try {
      matrix = parseMatrix(withText(field, text), 'x.json');
    } catch (error) {
      expect(error).toBeInstanceOf(HarnessError);
      expect((error as HarnessError).code).toBe('HARNESS_REPORT_INVALID');
      return;
    }
    expect(activeContent(renderHtml(matrix))).toEqual([]);
    const junit = renderJunit(matrix);
    expect(XMLValidator.validate(junit)).toBe(true);
    // The validator does not check characters: XML 1.0 allows none of these anywhere.
    expect(junit).not.toMatch(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u);
    const line = inertLine(text);
    expect(line).not.toMatch(/[\n\r\u001b\u009b\u2028\u2029]/);
    expect(line).not.toContain('::');
    const console = describeComparison(compareMatrices(parseMatrix(VALID, 'v.json'), matrix)).split('\n');
    for (const l of console) expect(l).not.toMatch(/^\s*::|[\r\u001b]/);
    for (const l of [...renderStepSummary(matrix, {}).split('\n'), ...renderMarkdown(matrix).split('\n')]) expect(l).not.toMatch(/^\s*::|[\r\u001b\u0000]/);
  });
});

describe('any string as a name', () => {
  const kinds: NameKind[] = ['run id', 'target name', 'model id'];
  test.prop([fc.constantFrom(...kinds), anyString], { numRuns: 300 })('is refused or maps to one folder inside its parent', (kind, value) => {
    if (nameProblem(value, kind) !== undefined) return;
    const folder = folderName(value);
    expect(folder).not.toMatch(/[/\\\u0000]/);
    expect(['', '.', '..']).not.toContain(folder);
    const parent = resolve('/base');
    expect(resolve(parent, folder).startsWith(parent + sep)).toBe(true);
    expect(nameFromFolder(folder)).toBe(value);
  });

  test.prop([fc.constantFrom(...kinds), anyString, anyString], { numRuns: 300 })('distinct ids get distinct folders, also on a case-insensitive file system', (kind, a, b) => {
    if (a === b || nameProblem(a, kind) || nameProblem(b, kind)) return;
    expect(folderName(a).toLowerCase()).not.toBe(folderName(b).toLowerCase());
  });
});
