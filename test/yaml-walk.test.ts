/**
 * One walk over a YAML document (suite/yaml-walk.ts) resolves every alias to the node yaml's own `Alias.resolve`
 * finds, and the problems it reports (no anchor, a cycle, a key that is not text, a tag) are located as before; a
 * file read twice in one process is parsed once, and a copy of the first parse is never shared.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument, type Alias, type Node } from 'yaml';
import { parseYamlSource, readYamlSource } from '../src/suite/yaml-source.ts';
import { walkDocument } from '../src/suite/yaml-walk.ts';

const DOCUMENTS = [
  'a: &x 1\nb: *x\n',
  // The same anchor twice: an alias takes the last one before it.
  'a: &x 1\nb: *x\nc: &x 2\nd: *x\ne: [*x, &x 3, *x]\n',
  // An anchor on a key, on a collection, inside a sequence of mappings.
  '&k key: v\nother: *k\nlist: &l [1, 2]\ncopy: *l\nitems:\n  - &i {n: 1}\n  - *i\n',
  // An alias inside the value it names, and one with no anchor at all.
  'a: &x [1, *x]\nb: *nothing\n',
];

describe('walkDocument', () => {
  it.each(DOCUMENTS)('resolves every alias as yaml does: %j', (text) => {
    const doc = parseDocument(text);
    const walked: [Alias, Node | undefined][] = [];
    walkDocument(doc, { alias: (alias, target) => void walked.push([alias, target]) });
    expect(walked.length).toBe((text.match(/\*\w+/g) ?? []).length);
    for (const [alias, target] of walked) expect(target).toBe(alias.resolve(doc));
  });

  it('says where an alias has no anchor and where it is inside its own value, and says nothing of a good file', () => {
    expect(parseYamlSource('x.yaml', DOCUMENTS[3]!).problems).toEqual([
      'x.yaml:1:11 alias *x is inside the value it refers to (a cycle)',
      'x.yaml:2:4 alias *nothing refers to no anchor: add &nothing to a value above it',
    ]);
    for (const text of DOCUMENTS.slice(0, 3)) expect(parseYamlSource('x.yaml', text).problems).toEqual([]);
  });

  it('reports keys that are not text and tags that are not JSON types, in the order of the file', () => {
    expect(parseYamlSource('x.yaml', 'a: !!binary aGk=\n? [1]\n: 2\nb: !!str 3\n').problems).toEqual([
      'x.yaml:1:13 tag !!binary is not supported: values are plain JSON types',
      'x.yaml:2:3 keys must be plain text, not a list or mapping',
    ]);
  });
});

describe('a file read twice in one process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yaml-walk-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives the same parse, a fresh copy each time, under its own name', async () => {
    const text = `a: &x {n: [1, 2]}\nb: *x\nunique: ${Math.random()}\n`;
    await writeFile(join(dir, 'one.yaml'), text);
    await writeFile(join(dir, 'two.yaml'), text);
    const first = await readYamlSource(join(dir, 'one.yaml'));
    (first.source!.data as { a: { n: number[] } }).a.n.push(3);
    const second = await readYamlSource(join(dir, 'two.yaml'));
    expect(second.source!.data).toEqual({ a: { n: [1, 2] }, b: { n: [1, 2] }, unique: expect.any(Number) });
    expect(second.source!.locate(['b'])).toBe(`${second.source!.displayName}:2:4`);
    expect(second.source!.displayName).toContain('two.yaml');
  });

  it('reports a bad file every time it is read', async () => {
    await writeFile(join(dir, 'bad.yaml'), 'a: *nothing\n');
    for (let i = 0; i < 2; i++) expect((await readYamlSource(join(dir, 'bad.yaml'))).problems).toEqual([expect.stringMatching(/bad\.yaml:1:4 alias \*nothing refers to no anchor/)]);
  });
});
