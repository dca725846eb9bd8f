/**
 * `mantle-conformance catalog --check` (issue 17 item 5): a claim without a source, a source key not in `sources`,
 * an unverified source not marked, a citation that names nothing, an unused source, an unknown region and a claim on
 * an API the model does not serve are each listed with `file:line:col`, exit 1; the shipped catalog is exit 0.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

const BAD = `catalog: mantle
sources:
  card: "AWS model card (https://example.test/card)"
  blog: "a blog post someone mentioned"
  rumour: "a forum post (https://example.test/t/1; unverified)"
  spare: "never cited (https://example.test/spare)"
regions:
  us-east-1: card
families:
  - id: fam
    title: A family
    expect:
      api.chat-completions: { value: unsupported, source: card }
      api.responses: { value: supported, source: card }
      created-at.chat: { value: integer, source: card }
models:
  - id: acme.one
    family: fam
    source: card
    regions: [us-east-1, us-est-2]
    expect:
      params.stop: { value: rejected, source: nowhere }
      defaults.temperature: { value: 1, source: rumour }
  - id: acme.two
    family: fam
    source: blog
    expect:
      defaults.top-p: { value: 1 }
`;

describe('catalog --check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'catalog-check-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the shipped catalog has no finding (exit 0)', async () => {
    const result = await cli(['catalog', '--check']);
    expect(result.stdout).toMatch(/^ok: \d+ models, \d+ sources/);
    expect(result.code).toBe(0);
  });

  it('a claim without a source is a finding, at its line (exit 2: the catalog does not load)', async () => {
    const file = join(dir, 'no-source.yaml');
    await writeFile(file, BAD);
    const result = await cli(['catalog', '--check', '--catalog', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/HARNESS_CATALOG_INVALID.*1 of the findings above keep the catalog from loading/s);
    expect(result.stdout).toMatch(/no-source\.yaml:\d+:\d+ models\[1\]\.expect\.defaults\.top-p: missing required field "source"/);
  });

  it('lists every other kind of finding with file:line:col (exit 2 for the unknown source, which does not load)', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, BAD.replace('defaults.top-p: { value: 1 }', 'defaults.top-p: { value: 1, source: card }'));
    const result = await cli(['catalog', '--check', '--catalog', file]);
    expect(result.code).toBe(2);
    const lines = result.stdout.trim().split('\n');
    const expected = [
      /bad\.yaml:4:\d+ source "blog" names no document, issue or file to look at/,
      /bad\.yaml:6:3 source "spare" is cited by nothing/,
      /bad\.yaml:15:7 created-at\.chat: a claim on chat-completions, which the model does not serve .*\(acme\.one, acme\.two\)/,
      /bad\.yaml:20:\d+ acme\.one: unknown region "us-est-2" \(did you mean "us-east-1"\?\); add it under regions:/,
      /bad\.yaml:22:\d+ params\.stop: a claim on chat-completions, which the model does not serve .*\(acme\.one\)/,
      /bad\.yaml:22:\d+ unknown source "nowhere"/,
      /bad\.yaml:23:\d+ cites "rumour", which is unverified: say "unverified" in the note/,
    ];
    for (const pattern of expected) expect(lines.some((line) => pattern.test(line)), `${pattern}\n${result.stdout}`).toBe(true);
    expect(lines.at(-1)).toBe(`${expected.length} findings in ${file}`);
  });

  it('a file that is not YAML is exit 2; without --check the models are listed', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'catalog: [unclosed\n');
    expect((await cli(['catalog', '--check', '--catalog', file])).code).toBe(2);
    const list = await cli(['catalog']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^openai\.gpt-5\.6-sol +openai-gpt-5-6 +chat\+responses on \/openai\/v1 +us-east-1$/m);
    expect(list.stdout).toMatch(/^65 models in suites\/models\.yaml$/m);
    expect(list.stdout).toMatch(/^runtime - bedrock-runtime .*: lacks background responses \(responses\.background: returned-completed or rejected\);.*; states nothing for path-prefix, created-at.responses, sdk.strict.responses$/m);
    expect(list.stdout).toMatch(/^mantle - .*: lacks cross-region inference profile ids \(models\.profile-id: not-found\)$/m);
  });
});
