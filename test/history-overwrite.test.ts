/**
 * `history` writes history.json, history.html and history.md into --report-dir: a file of those names it did not
 * write (a project's own changelog) is refused with a usage error naming it, and left as it was; its own earlier
 * files are replaced.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyCommand } from '../src/cli/history-command.ts';
import { appendRun } from '../src/history/history-file.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let root: string;
let history: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'history-overwrite-'));
  history = join(root, 'h');
  await appendRun(history, smallMatrix());
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('history in a report folder with files it did not write', () => {
  for (const [name, content] of [
    ['history.md', "# My project's changelog history - hand written\n"],
    ['history.json', '{"mine":1}\n'],
    ['history.html', '<!doctype html><title>Our history</title>\n'],
  ] as const) {
    it(`refuses a ${name} it did not write and leaves it`, async () => {
      const docs = join(root, `docs-${name}`);
      await mkdir(docs, { recursive: true });
      await writeFile(join(docs, name), content);
      await expect(historyCommand(history, { reportDir: docs }, new PassThrough())).rejects.toMatchObject({ code: 'HARNESS_USAGE', message: expect.stringContaining(`${name} there was not written by mantle-conformance history`) });
      expect(await readFile(join(docs, name), 'utf8')).toBe(content);
    });
  }

  it('replaces its own earlier files', async () => {
    const out = join(root, 'out');
    expect(await historyCommand(history, { reportDir: out }, new PassThrough())).toBe(0);
    await writeFile(join(out, 'history.md'), (await readFile(join(out, 'history.md'), 'utf8')) + 'extra\n');
    expect(await historyCommand(history, { reportDir: out }, new PassThrough())).toBe(0);
    expect(await readFile(join(out, 'history.md'), 'utf8')).not.toContain('extra');
  });
});
