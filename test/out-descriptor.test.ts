/**
 * `table --out` given a path that names one of the command's own open descriptors (/dev/stdout, /dev/stderr,
 * /dev/fd/N, /proc/self/fd/N, or a link through them: here the test's own links to /proc/self/fd/N) writes the table
 * to that descriptor as `> /dev/stdout` does: appended to what the redirect holds (`>> summary.md`), the file kept
 * (same inode), nothing renamed over it; to stdout, no `wrote` line follows it into the file. A descriptor of another
 * process (/proc/<pid>/fd/N) is refused, exit 2, and the file it leads to left as it was. The CLI runs in a child
 * process (from source), its descriptors redirected to files in the test's own temp folder.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnv, ROOT, SOURCE_BIN_ARGS } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
let matrix: string;
let table: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-out-descriptor-'));
  matrix = join(dir, 'matrix.json');
  await writeFile(matrix, JSON.stringify(smallMatrix(), null, 2));
  table = (await cli(['table', matrix])).stdout;
  expect(table).toContain('| model |');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI from source with descriptors 1, 2 (and 3) appending to the given files; the exit code. */
function run(args: string[], files: { out?: string; err?: string; three?: string }): Promise<number> {
  const fds = [files.out, files.err, files.three].map((f) => (f === undefined ? undefined : openSync(f, 'a')));
  const stdio = ['ignore', fds[0] ?? 'ignore', fds[1] ?? 'ignore', ...(fds[2] === undefined ? [] : [fds[2]])] as const;
  const child = spawn(process.execPath, [...SOURCE_BIN_ARGS, ...args], { cwd: ROOT, env: cliEnv({}), stdio: [...stdio] });
  for (const fd of fds) if (fd !== undefined) closeSync(fd);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
}

/** A file holding `text`, its inode. */
async function fileWith(name: string, text: string): Promise<{ file: string; ino: number }> {
  const file = join(dir, name);
  await writeFile(file, text);
  return { file, ino: (await stat(file)).ino };
}

describe('table --out to one of its own descriptors writes to it, appended, never renamed over', () => {
  it('a link to /proc/self/fd/1 with stdout appended to a step summary: the summary keeps what it held, then the table', async () => {
    const link = join(dir, 'my-stdout');
    await symlink('/proc/self/fd/1', link);
    const { file, ino } = await fileWith('step_summary.md', '## Conformance\nearlier content of this step\n');
    const err = join(dir, 'stdout-case.err');
    const code = await run(['table', matrix, '--out', link], { out: file, err });
    expect(code, await readFile(err, 'utf8')).toBe(0);
    expect((await stat(file)).ino).toBe(ino);
    // The table is stdout's output, as without --out: no `wrote` line after it.
    expect(await readFile(file, 'utf8')).toBe(`## Conformance\nearlier content of this step\n${table}`);
  });

  it('a link to /proc/self/fd/2 with stderr appended to a build log: the log keeps its lines, the table follows', async () => {
    const link = join(dir, 'my-stderr');
    await symlink('/proc/self/fd/2', link);
    const { file, ino } = await fileWith('build.log', 'build log: step 1 ok\n');
    const out = join(dir, 'stderr-case.out');
    const code = await run(['table', matrix, '--out', link], { out, err: file });
    expect(code).toBe(0);
    expect((await stat(file)).ino).toBe(ino);
    expect(await readFile(file, 'utf8')).toBe(`build log: step 1 ok\n${table}`);
    expect(await readFile(out, 'utf8')).toBe(`wrote ${link}\n`);
  });

  it('a link to /proc/self/fd/3 (3>> file): written where the descriptor stands', async () => {
    const link = join(dir, 'my-fd3');
    await symlink('/proc/self/fd/3', link);
    const { file, ino } = await fileWith('three.md', 'kept\n');
    const code = await run(['table', matrix, '--out', link], { out: join(dir, 'fd3.out'), err: join(dir, 'fd3.err'), three: file });
    expect(code, await readFile(join(dir, 'fd3.err'), 'utf8')).toBe(0);
    expect((await stat(file)).ino).toBe(ino);
    expect(await readFile(file, 'utf8')).toBe(`kept\n${table}`);
  });

  it("another process's descriptor (/proc/<pid>/fd/1) is refused, exit 2, and the file it leads to is left as it was", async () => {
    const { file, ino } = await fileWith('other-process.log', 'another process writes here\n');
    const fd = openSync(file, 'a');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: ['ignore', fd, 'ignore'] });
    closeSync(fd);
    try {
      const link = join(dir, 'their-stdout');
      await symlink(`/proc/${other.pid}/fd/1`, link);
      const result = await cli(['table', matrix, '--out', link]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`HARNESS_USAGE: --out ${link}: leads to descriptor 1 of another process (pid ${other.pid}), not one of this command's`);
      expect((await stat(file)).ino).toBe(ino);
      expect(await readFile(file, 'utf8')).toBe('another process writes here\n');
    } finally {
      other.kill();
    }
  });
});
