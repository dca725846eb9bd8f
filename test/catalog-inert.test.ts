/**
 * `catalog` and `catalog --check` write a catalog's text (a claim's source, a surface's title) inert, as `validate`
 * does: a catalog is a PR's text, and a CI job that runs `catalog --check` on it must not get a forged `::error`
 * (a newline in a quoted value starting a line of its own) or a terminal escape from it. `catalog diff --json` on
 * such a catalog stays JSON: what it writes is escaped by JSON, not made inert.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers/harness.ts';

const CLAIM = '      api.messages: { value: supported, source: seeds/portkey }';
const TITLE = 'title: bedrock-runtime (recommended for new applications)';

/** Nothing a terminal or a CI log would act on: no escape or control, no workflow command at a line's start. */
function expectInert(text: string): void {
  // eslint-disable-next-line no-control-regex
  expect(text).not.toMatch(/[\u001b\u0007\u009b\u009d]/);
  for (const line of text.split('\n')) {
    expect(line).not.toMatch(/^\s*::/);
    expect(line).not.toMatch(/^\s*##\[/);
  }
}

describe('catalog text is written inert', () => {
  let dir: string;
  let base: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-catalog-inert-'));
    base = await readFile(join(ROOT, 'suites/models.yaml'), 'utf8');
    expect(base).toContain(CLAIM);
    expect(base).toContain(TITLE);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, from: string, to: string) => {
    const file = join(dir, name);
    await writeFile(file, base.replace(from, to));
    return file;
  };

  it('catalog --check: a source with a newline and a workflow command, and one with escapes, are findings written on one inert line each', async () => {
    const newline = await write('nl-check.yaml', CLAIM, '      api.messages: { value: supported, source: "x\\n::error file=README.md::catalog is fine, ship it" }');
    const result = await cli(['catalog', '--check', '--catalog', newline]);
    expect(result.stdout).toContain('unknown source');
    // The finding is there, quoted, on its own line: the command is broken (`:\u200b:`), not dropped.
    expect(result.stdout).toMatch(/unknown source "x ⏎ :\u200b:error file=README\.md:\u200b:catalog is fine, ship it"/);
    expectInert(result.stdout);
    expectInert(result.stderr);

    const escapes = await write('esc-check.yaml', CLAIM, '      api.messages: { value: supported, source: "seeds/port\\e[2J\\e]0;OWNED\\akey" }');
    const esc = await cli(['catalog', '--check', '--catalog', escapes]);
    expect(esc.stdout).toContain('unknown source "seeds/port\ufffd\ufffdkey"');
    expectInert(esc.stdout);
    expectInert(esc.stderr);
  });

  it('catalog: a surface title with newlines, workflow commands and escapes is one inert line', async () => {
    const file = await write('nl-list.yaml', TITLE, 'title: "bedrock-runtime\\n::warning::injected\\n##[error]also\\e[2J\\e]0;OWNED\\a"');
    const result = await cli(['catalog', '--catalog', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^runtime - bedrock-runtime ⏎ :\u200b:warning:\u200b:injected ⏎ #\u200b#\[error\]also\ufffd\ufffd: lacks /m);
    expectInert(result.stdout);
  });

  it('catalog diff --json on such a catalog stays JSON (escaped by JSON; `catalog` itself has no --json)', async () => {
    const file = await write('nl-list-diff.yaml', TITLE, 'title: "bedrock-runtime\\n::warning::injected\\e[2J"');
    const result = await cli(['catalog', 'diff', '--mode', 'replay', '--catalog', file, '--json']);
    const parsed = JSON.parse(result.stdout) as { format: string; targets: unknown[] };
    expect(parsed.format).toBe('mantle-conformance.catalog-diff/1');
    expect(parsed.targets.length).toBeGreaterThan(0);
    expectInert(result.stdout);
  });
});
