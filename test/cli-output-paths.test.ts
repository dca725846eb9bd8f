/**
 * Paths a command writes to, as users mistype them: a folder where a file goes, a file where a folder goes, a
 * missing fixtures root. Each is exit 2 naming the flag (or the command) and what to give instead, never exit 3
 * with a stack; the path as meant still works.
 */
import { execFile } from 'node:child_process';
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cli } from './helpers/harness.ts';

let dir: string;
let matrix: string;
let aFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-output-paths-'));
  matrix = join(dir, 'run', 'matrix.json');
  const run = await cli(['run', '--quiet', '--checks', 'api.chat-completions', '--report-dir', join(dir, 'run')]);
  expect(run.code, run.stderr).toBe(0);
  aFile = join(dir, 'a-file');
  await writeFile(aFile, 'not a folder\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Exit 2 naming `named`, no stack trace, not reported as a harness bug. */
function expectUsage(result: { code: number; stderr: string }, named: string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toContain(`HARNESS_USAGE: ${named}`);
  expect(result.stderr).not.toMatch(/\n\s+at |HARNESS_INTERNAL/);
}

describe('table --out', () => {
  it('a folder, or a file where its folder goes, is exit 2 naming --out; nothing is left behind', async () => {
    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    const intoFolder = await cli(['table', matrix, '--out', folder]);
    expectUsage(intoFolder, `--out ${folder}: cannot write it (is a folder); give a file path`);
    expect(await readdir(folder)).toEqual([]);
    expectUsage(await cli(['table', matrix, '--out', join(aFile, 'table.md')]), `--out ${join(aFile, 'table.md')}: cannot write it (a file is in the way of its folder)`);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a file path writes the table, its missing folder made, as stdout would show it', async () => {
    const file = join(dir, 'new-folder', 'table.md');
    const written = await cli(['table', matrix, '--out', file]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe(`wrote ${file}\n`);
    expect(await readFile(file, 'utf8')).toBe((await cli(['table', matrix])).stdout);
  });

  it('a link is written through to the file it points at, and stays a link', async () => {
    const target = join(dir, 'shared-table.md');
    const link = join(dir, 'linked-table.md');
    await writeFile(target, 'old\n');
    await symlink(target, link);
    expect((await cli(['table', matrix, '--out', link])).code).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toBe((await cli(['table', matrix])).stdout);
  });
});

describe('fixtures --fixtures', () => {
  it('a missing folder or a file is exit 2 naming --fixtures, before anything is recorded', async () => {
    const missing = join(dir, 'no-such-fixtures');
    const absent = await cli(['fixtures', '--fixtures', missing]);
    expect(absent.code, absent.stderr).toBe(2);
    expect(absent.stderr).toContain(`HARNESS_FILE_NOT_FOUND: --fixtures: ${missing} does not exist; give the fixtures root to record into`);
    expectUsage(await cli(['fixtures', '--fixtures', aFile]), `--fixtures: ${aFile} is not a folder`);
    await expect(readdir(missing)).rejects.toThrow();
  });

  it('a folder is taken as the root (its foreign file refused as before, so nothing is recorded here)', async () => {
    const root = join(dir, 'fixtures-root');
    await mkdir(join(root, 'emulator'), { recursive: true });
    await writeFile(join(root, 'emulator', 'notes.txt'), 'mine\n');
    expectUsage(await cli(['fixtures', '--fixtures', root]), `--fixtures: ${join(root, 'emulator', 'notes.txt')} is not a recording the harness made`);
  });
});

describe('schema', () => {
  /** The built package copied to a root of its own, run from there (schema writes into ./suites/schema), with `suites` as given. */
  async function packageCopy(name: string, suites: 'folder' | 'file'): Promise<string> {
    const root = join(dir, name);
    await cp(join(inject('packageRoot'), 'dist'), join(root, 'dist'), { recursive: true });
    await cp(join(inject('packageRoot'), 'package.json'), join(root, 'package.json'));
    if (suites === 'file') await writeFile(join(root, 'suites'), 'in the way\n');
    else await mkdir(join(root, 'suites'));
    return root;
  }
  const schema = (root: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(root, 'dist/cli/bin.js'), 'schema'], { cwd: root }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
    });

  it('a ./suites it cannot write into is exit 2 naming schema; one it can gets every schema', async () => {
    const blocked = await packageCopy('blocked', 'file');
    expectUsage(await schema(blocked), `schema ${join(blocked, 'suites/schema/')}`);
    const open = await packageCopy('open', 'folder');
    const written = await schema(open);
    expect(written.code, written.stderr).toBe(0);
    expect((await readdir(join(open, 'suites/schema'))).sort()).toEqual(expect.arrayContaining(['fixture.schema.json', 'matrix.schema.json']));
  }, 60_000);
});
