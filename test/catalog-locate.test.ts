/**
 * `catalog --check`'s "names something to look at" test once took any `https://` or any mention of MANTLE.md for a
 * place ("see https://" and "not in MANTLE.md" read "cited, located"), and its "unverified" test was a substring, so
 * the note "this is NOT unverified, it is verified" passed. A URL now needs a host, MANTLE.md must be cited (a section
 * of it, or it alone), and a note that denies "unverified" does not say it; each finding says what is missing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

/** A catalog that loads and has no finding, but for what `source` and `note` make of it. */
const catalog = (source: string, note = 'unverified (one forum post)') => `catalog: mantle
sources:
  card: "AWS model card (https://example.test/card)"
  post: ${JSON.stringify(source)}
  rumour: "a forum post (https://example.test/t/1; unverified)"
regions:
  us-east-1: card
families:
  - id: fam
    title: A family
    expect:
      api.chat-completions: { value: supported, source: post }
models:
  - id: acme.one
    family: fam
    source: card
    regions: [us-east-1]
    expect:
      defaults.temperature: { value: 1, source: rumour, note: ${JSON.stringify(note)} }
`;

describe('catalog --check: located and unverified', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-catalog-locate-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const check = async (name: string, text: string) => {
    const file = join(dir, `${name}.yaml`);
    await writeFile(file, text);
    return cli(['catalog', '--check', '--catalog', file]);
  };

  it.each([
    ['a URL with a host', 'a doc (https://example.test/doc)'],
    ["a section of MANTLE.md, quoted", "MANTLE.md, 'Endpoints and routes': a claim"],
    ['a section of MANTLE.md, after "in"', "a post (in MANTLE.md 'Autumn 2026')"],
    ['a section of MANTLE.md, unquoted', 'a guide (MANTLE.md, Two surfaces on one engine)'],
    ['MANTLE.md alone, in parentheses', 'a release note: ids are a runtime feature (MANTLE.md)'],
    ['an issue', 'acme/repo #12: the bug'],
  ])('%s is located: exit 0', async (name, source) => {
    const result = await check(name.replace(/\W+/g, '-'), catalog(source));
    expect(result.stdout + result.stderr).toMatch(/^ok: 1 models, 3 sources/);
    expect(result.code).toBe(0);
  });

  it('"see https://" (a URL with no host) is a finding that says the host is missing', async () => {
    const result = await check('url', catalog('see https://'));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/url\.yaml:4:9 source "post" names no document, issue or file to look at \(.*\): its URL has no host\n1 finding in/);
  });

  it('"not in MANTLE.md" (a mention, not a citation) is a finding that asks for the section', async () => {
    const result = await check('md', catalog('not in MANTLE.md'));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/md\.yaml:4:9 source "post" names no document.*: it mentions MANTLE\.md without citing it: name the section \(MANTLE\.md, 'Section'\)\n1 finding in/);
  });

  it('a note that denies "unverified" does not mark the claim unverified', async () => {
    const result = await check('unv', catalog('a doc (https://example.test/doc)', 'this is NOT unverified, it is verified'));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/unv\.yaml:19:49 cites "rumour", which is unverified: say "unverified" in the note \(it says the claim is not unverified, which the source does not support\)\n1 finding in/);
  });

  it('a note that says it plainly, beside a denial, still says it', async () => {
    const result = await check('both', catalog('a doc (https://example.test/doc)', 'not unverified in us-east-1; unverified elsewhere'));
    expect(result.code).toBe(0);
  });

  it('the shipped catalog has no finding (exit 0)', async () => {
    const result = await cli(['catalog', '--check']);
    expect(result.stdout).toMatch(/^ok: \d+ models, \d+ sources/);
    expect(result.code).toBe(0);
  });
});
