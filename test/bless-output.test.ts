/**
 * What bless writes and says: `--all` writes every value the file does not state (so a run with the new file judges
 * as the run did), each change names what the cell was judged against, a path is printed inert and the `git diff` it
 * suggests is one shell word, a file that would outgrow what a run loads is refused, and no folder is made.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { main } from '../src/cli/main.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { loadExpectations } from '../src/suite/load-expectations.ts';
import { MAX_YAML_BYTES } from '../src/suite/read-text-file.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-bless-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The CLI in-process: its exit code and what it wrote (stdout and stderr together). */
async function cli(args: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const stream = new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
  const code = await main(args, { out: stream, err: stream });
  return { code, text };
}

async function matrixFile(matrix: Matrix): Promise<string> {
  const file = join(dir, `matrix-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(matrix));
  return file;
}

/** xai.grok-4.3 created-at.chat was judged against the file's "exponent" and observed "integer" (it gates). */
const flipped = () => smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'integer', expected: 'exponent', expectedSource: 'expectations: seen in r0' }]);

describe('bless --all into a new file, then a run with it', () => {
  // The bundled replay judges openai.gpt-oss-20b content.array.responses against the bundled expectations
  // ("rejected", not the reference's "accepted"): a pass the new file must carry over.
  const run = (reports: string, extra: string[]) =>
    cli(['run', '--models', 'openai.gpt-oss-20b', '--checks', 'content.array.responses,created-at.chat', '--report-dir', reports, '--quiet', ...extra]);

  it('writes the values judged against another file, and the next run with the new file passes', async () => {
    const first = await run(join(dir, 'r1'), []);
    expect(first.code, first.text).toBe(0);
    const fresh = join(dir, 'new.yaml');
    const bless = await cli(['bless', join(dir, 'r1', 'matrix.json'), '--all', '--expectations', fresh]);
    expect(bless.code, bless.text).toBe(0);
    expect(bless.text).toContain('openai.gpt-oss-20b content.array.responses: "rejected" (expectations) -> "rejected"');
    expect((await loadExpectations(fresh, ALL_CHECKS)).byModel.get('openai.gpt-oss-20b')?.get('content.array.responses')?.value).toBe('rejected');
    const second = await run(join(dir, 'r2'), ['--expectations', fresh]);
    expect(second.code, second.text).toBe(0);
  }, 120_000);

  it('a run whose every cell was judged against a stated value still has values to write', async () => {
    const matrix = await matrixFile(smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', expectedSource: 'expectations: ok' }], ['xai.grok-4.3'], ['created-at.chat']));
    const fresh = join(dir, 'all-stated.yaml');
    const bless = await cli(['bless', matrix, '--all', '--expectations', fresh]);
    expect(bless.code, bless.text).toBe(0);
    expect(bless.text).not.toContain('nothing to bless');
    expect((await loadExpectations(fresh, ALL_CHECKS)).byModel.get('xai.grok-4.3')?.get('created-at.chat')?.value).toBe('integer');
  });
});

describe('each change names what the cell was judged against', () => {
  it('a value the file states now, and the run judged against nothing, reads as nothing stated', async () => {
    const file = join(dir, 'stated-since.yaml');
    await writeFile(file, 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: exponent\n    defaults.temperature: 0.5\n');
    const bless = await cli(['bless', await matrixFile(flipped()), '--expectations', file]);
    expect(bless.code, bless.text).toBe(0);
    expect(bless.text).toContain('  xai.grok-4.3 defaults.temperature: nothing stated -> 1\n');
    // Judged against the file: its value and where it came from.
    expect(bless.text).toContain('  xai.grok-4.3 created-at.chat: "exponent" (expectations) -> "integer"\n');
  });

  it('nothing stated reads as words, not as the value null', async () => {
    const matrix = smallMatrix([{ model: 'xai.grok-4.3', check: 'defaults.temperature', observed: null }], ['xai.grok-4.3'], ['defaults.temperature']);
    const bless = await cli(['bless', await matrixFile(matrix), '--all', '--expectations', join(dir, 'null.yaml')]);
    expect(bless.code, bless.text).toBe(0);
    expect(bless.text).toContain('  xai.grok-4.3 defaults.temperature: nothing stated -> null\n');
  });
});

describe('a path bless prints is data', () => {
  it('escapes and line breaks in it stay inert, and the suggested git diff is one shell word', async () => {
    const folder = join(dir, 'my exp\u001b[2J\u001b[31mRED\u001b[0m\nok: bless finished');
    await mkdir(folder);
    const file = join(folder, 'e.yaml');
    await writeFile(file, 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: exponent\n');
    const bless = await cli(['bless', await matrixFile(flipped()), '--expectations', file]);
    expect(bless.code, bless.text).toBe(0);
    expect(bless.text).not.toContain('\u001b');
    expect(bless.text).not.toMatch(/^ok: bless finished/m);
    const diff = /Review the diff \((git diff .*)\) before committing/.exec(bless.text)?.[1];
    expect(diff).toMatch(/^git diff '.*my exp.*'$/);
    // Nothing to bless the second time: that line names the path inert too.
    const again = await cli(['bless', await matrixFile(flipped()), '--expectations', file]);
    expect(again.text).toMatch(/^nothing to bless: /);
    expect(again.text).not.toContain('\u001b');
    expect(again.text).not.toMatch(/^ok: bless finished/m);
  });
});

describe('a file the next run could not load is never written', () => {
  it('over the size limit: exit 2 naming the limit, the file as it was', async () => {
    const file = join(dir, 'large.yaml');
    let text = 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: exponent\n';
    const pad = (i: number, n: number) => `  pad.model-${i}:\n    defaults.temperature:\n      observed: 1\n      reason: ${'x'.repeat(n)}\n`;
    for (let i = 0; text.length + 200_000 < MAX_YAML_BYTES; i++) text += pad(i, 100_000);
    text += pad(-1, MAX_YAML_BYTES - 20 - text.length - pad(-1, 0).length);
    await writeFile(file, text);
    expect((await stat(file)).size).toBe(MAX_YAML_BYTES - 20);
    // --all: the values of the other cells are new entries, the file grows past the limit.
    const bless = await cli(['bless', await matrixFile(flipped()), '--all', '--expectations', file]);
    expect(bless.code, bless.text).toBe(2);
    expect(bless.text).toMatch(/^HARNESS_EXPECTATIONS_INVALID: .*large\.yaml: with the blessed values it would be \d+ bytes, over the 16 MiB .*nothing was written/);
    expect(await readFile(file, 'utf8')).toBe(text);
  }, 60_000);
});

describe('bless makes no folder', () => {
  it('an --expectations path in a folder that does not exist: exit 2, make the folder first; nothing is made', async () => {
    const project = await mkdtemp(join(dir, 'project-'));
    const file = join(project, 'suites', 'expectations.yaml');
    const bless = await cli(['bless', await matrixFile(flipped()), '--all', '--expectations', file]);
    expect(bless.code, bless.text).toBe(2);
    expect(bless.text).toContain(`HARNESS_USAGE: --expectations ${file}: there is no folder ${join(project, 'suites')}, and bless makes no folder`);
    expect(bless.text).toContain(`mkdir -p ${join(project, 'suites')}`);
    expect(await readdir(project)).toEqual([]);
    await mkdir(join(project, 'suites'));
    expect((await cli(['bless', await matrixFile(flipped()), '--all', '--expectations', file])).code).toBe(0);
  });
});
