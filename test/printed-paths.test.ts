/**
 * A path the user gave (or an artifact folder's name) is printed inert on every console line that names it: a line
 * break in a folder name must not start a line of its own, where `::error ...::` or `##[error]` would be read by
 * GitHub Actions or Azure Pipelines as a workflow command (review rvd2, finding 3). Errors already printed it so; the
 * `wrote` lines of report, merge and history and the `reports:` line of run did not.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

let dir: string;
let hostile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-fxm-paths-'));
  hostile = join(dir, 'x\n::error title=pwn::owned\n##[error]y');
  await mkdir(hostile);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Lines a CI runner would read as a workflow command. */
const commands = (text: string) => text.split(/\r?\n/).filter((line) => /^\s*(::|##)/.test(line));

describe('console lines that print a path', () => {
  it('run, report, merge and history print the paths they wrote inert', async () => {
    const run = await cli(['run', '--checks', 'api.chat-completions', '--report-dir', join(hostile, 'run'), '--history', join(hostile, 'hist')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('reports: ');
    const matrix = join(hostile, 'run', 'matrix.json');
    await cp(matrix, join(hostile, 'copy.json'));
    const report = await cli(['report', join(hostile, 'copy.json'), '--report-dir', join(hostile, 'report')]);
    const merge = await cli(['merge', matrix, '--report-dir', join(hostile, 'merged')]);
    const history = await cli(['history', join(hostile, 'hist'), '--report-dir', join(hostile, 'h')]);
    for (const [name, result] of Object.entries({ run, report, merge, history })) {
      expect(result.code, `${name}: ${result.stderr}`).toBeLessThan(2);
      expect(result.stdout, name).toMatch(name === 'run' ? /^reports: .*matrix\.json/m : /^wrote .*matrix\.json|^wrote .*history/m);
      expect(commands(result.stdout + result.stderr), name).toEqual([]);
    }
  });
});
