/**
 * Where a value of a YAML file is reported (file:line:col) comes from plain position data (suite/yaml-positions.ts),
 * whether the file was parsed now or its parse came with the package (suite/bundled-yaml.ts): on every path of
 * every bundled YAML file, and on odd documents, it points where walking yaml's own document does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { storedParse, textKey, type ParsedYaml } from '../src/suite/bundled-yaml.ts';
import { parsesToBundle, parseYamlSource, YamlSource, type PathSegment } from '../src/suite/yaml-source.ts';
import { ROOT } from './helpers/harness.ts';

/** locate as it walked yaml's document before positions were data. */
function walkDocument(doc: Document.Parsed, path: readonly PathSegment[], key: boolean): number {
  let node: unknown = doc.contents;
  let found: Node | null = (node as Node | null) ?? null;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
      if (!pair) break;
      node = (index === path.length - 1 && key) || pair.value === null ? pair.key : pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      break;
    }
    if (!node) break;
    found = node as Node;
  }
  return found?.range?.[0] ?? 0;
}

/** Every path into `data`, and one step past each (a key that is not there, an index past the end). */
function pathsOf(data: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(prefix, [...prefix, 'no-such-key'], [...prefix, 999]);
  if (Array.isArray(data)) data.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (data !== null && typeof data === 'object') for (const [k, v] of Object.entries(data)) pathsOf(v, [...prefix, /^\d+$/.test(k) ? Number(k) : k], out);
  return out;
}

const BUNDLED = readdirSync(join(ROOT, 'suites')).filter((f) => f.endsWith('.yaml'));
const ODD = [
  'a:\n  b:\n  c: 1\nlist:\n  - x\n  -\n  - [1, {d: 2}]\n',
  '1: one\ntrue: yes\n~: nothing\n"quoted key": {flow: [a, b]}\n',
  'anchor: &x {k: v}\nalias: *x\nempty:\n',
  '- just\n- a\n- list\n',
  '# nothing but a comment\n',
  // Keys with no value node at all (yaml gives the pair a null value): locate points at the key.
  'first: 1\nflow: {a, b: 1}\nexplicit:\n  ? k\n',
];

describe('locate', () => {
  it.each([...BUNDLED.map((f) => [f, readFileSync(join(ROOT, 'suites', f), 'utf8')]), ...ODD.map((t, i) => [`odd document ${i}`, t])])('points where the document walk does: %s', (_name, text) => {
    const { source, problems } = parseYamlSource('x.yaml', text);
    expect(problems).toEqual([]);
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
    const at = (offset: number) => `x.yaml:${lines.linePos(offset).line}:${lines.linePos(offset).col}`;
    const paths = pathsOf(source!.data);
    expect(paths.length).toBeGreaterThan(2);
    for (const path of paths) for (const key of [false, true]) expect(source!.locate(path, { key }), JSON.stringify(path)).toBe(at(walkDocument(doc, path, key)));
  });
});

describe('the parse that comes with the package', () => {
  it('is every bundled file, and a YamlSource made from it says what a fresh parse says', () => {
    const texts = BUNDLED.map((f) => readFileSync(join(ROOT, 'suites', f), 'utf8'));
    const stored = parsesToBundle(texts);
    expect(Object.keys(stored)).toHaveLength(texts.length);
    for (const text of texts) {
      const fresh = parseYamlSource('x.yaml', text).source!;
      const bundled = new YamlSource('x.yaml', JSON.parse(stored[textKey(text)]!) as ParsedYaml);
      expect(bundled.data).toEqual(fresh.data);
      for (const path of pathsOf(fresh.data)) expect(bundled.locate(path, { key: true })).toBe(fresh.locate(path, { key: true }));
    }
  });

  it('leaves out what JSON cannot hold exactly, and what does not parse', () => {
    expect(parsesToBundle(['a: .inf\n', 'a: -0\n', 'a: [\n', 'a: !!binary aGk=\n'])).toEqual({});
    const parsed = parseYamlSource('x.yaml', 'a: .nan\n').source!.parsed;
    expect(storedParse(parsed)).toBeUndefined();
    expect(Object.keys(parsesToBundle(['a: 1\n']))).toEqual([textKey('a: 1\n')]);
  });
});
