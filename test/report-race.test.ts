/**
 * `report latest/matrix.json` writes only the file it read: where the link leads is settled before the read, and a
 * link repointed (another job's `ln -sfn ../runs/b/matrix.json latest/matrix.json`) or a target moved away during
 * the read, or before the write renames anything into place, is refused, exit 2, naming the link and what changed;
 * run B's matrix.json is never replaced by run A's data, and no stack is printed. The race is made deterministic by
 * patching node:fs/promises (as matrix-size.test.ts patches node:v8): the change happens right after the input is
 * opened, or when the first report is staged.
 */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { lstat, mkdir, mkdtemp, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { patchFsPromises, restoreFsPromises } from './helpers/fs-promises-patch.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

afterEach(restoreFsPromises);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mantle-report-race-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const digest = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/** runs/a (run A), runs/b (run B) and latest/matrix.json -> ../runs/a/matrix.json, in a folder of their own. */
async function layout(name: string) {
  const dir = join(root, name);
  for (const [run, id] of [['a', 'run-A'], ['b', 'run-B']]) {
    await mkdir(join(dir, 'runs', run!), { recursive: true });
    await writeFile(join(dir, 'runs', run!, 'matrix.json'), `${JSON.stringify(smallMatrix([], undefined, undefined, { runId: id }), null, 2)}\n`);
  }
  await mkdir(join(dir, 'latest'));
  const link = join(dir, 'latest', 'matrix.json');
  await symlink('../runs/a/matrix.json', link);
  const repoint = async () => {
    await symlink('../runs/b/matrix.json', `${link}.new`);
    await rename(`${link}.new`, link);
  };
  return { dir, link, a: join(dir, 'runs', 'a', 'matrix.json'), b: join(dir, 'runs', 'b', 'matrix.json'), repoint };
}

const runId = async (file: string) => JSON.parse(await readFile(file, 'utf8')).run.id as string;

describe('report through a link writes only the file it read', () => {
  it('a link repointed during the read: exit 2 naming the link and where it leads now; run B is not replaced', async () => {
    const { link, a, b, repoint } = await layout('repointed-during-read');
    const before = await digest(b);
    patchFsPromises('open', (path) => path.endsWith(join('runs', 'a', 'matrix.json')) || path === link, repoint);
    const result = await cli(['report', link]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`HARNESS_USAGE: report ${link}: ${link} changed while report read it: it leads to ${b} now, not to ${a}, which was read (the link was repointed)`);
    expect(result.stderr).toContain('Nothing was written');
    expect(result.stdout).toBe('');
    expect(await digest(b)).toBe(before);
    expect(await runId(b)).toBe('run-B');
    expect(await runId(a)).toBe('run-A');
    expect(await readlink(link)).toBe('../runs/b/matrix.json');
  });

  it('the file read moved away during the read: exit 2 saying the link leads to no file now, not HARNESS_INTERNAL with a stack', async () => {
    const { dir, link, a } = await layout('moved-during-read');
    patchFsPromises('open', (path) => path.endsWith(join('runs', 'a', 'matrix.json')) || path === link, () => rename(join(dir, 'runs', 'a'), join(dir, 'runs', 'a-archived')));
    const result = await cli(['report', link]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`${link} changed while report read it: it leads to no file now (${a}, which was read, was moved or removed)`);
    expect(result.stderr).not.toMatch(/HARNESS_INTERNAL|\n\s+at /);
    expect(await runId(join(dir, 'runs', 'a-archived', 'matrix.json'))).toBe('run-A');
  });

  it('a link repointed after the read, while the reports are written: refused before anything is renamed into place', async () => {
    const { dir, link, b, repoint } = await layout('repointed-during-write');
    const before = await digest(b);
    patchFsPromises('writeFile', (path) => path.startsWith(dir) && path.endsWith('.tmp'), repoint);
    const result = await cli(['report', link]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`${link} changed while report read it: it leads to ${b} now`);
    expect(await digest(b)).toBe(before);
    // Nothing staged is left behind, and no report of run A went beside the link now leading to run B.
    expect((await fsp.readdir(join(dir, 'latest'))).sort()).toEqual(['matrix.json']);
    expect((await fsp.readdir(join(dir, 'runs', 'a'))).sort()).toEqual(['matrix.json']);
  });

  it('a link left alone is still written through, and stays a link', async () => {
    const { link, a } = await layout('left-alone');
    const result = await cli(['report', link]);
    expect(result.code, result.stderr).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(result.stdout).toContain(`wrote ${a}, `);
    expect(await runId(a)).toBe('run-A');
  });
});
