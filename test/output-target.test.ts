/**
 * `table --out` never turns a device, a FIFO, a socket or a link to one into a regular file (the write renames a
 * temp file over its path: `--out /dev/null` as root replaced the machine's /dev/null): exit 2 naming --out and the
 * fix, before anything is read, the node left as it was; its own stdout (/dev/stdout) is written to as a stream
 * (test/out-descriptor.test.ts has the rest). A link to
 * nothing (`pipe:[123]`, a process substitution's) says so. A regular file replaced keeps its mode. Every node is
 * made inside the test's own temp folder (a device only when the test runs as root).
 */
import { execFile } from 'node:child_process';
import { chmod, lstat, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputTargetProblem } from '../src/cli/output-target.ts';
import { existsSync } from 'node:fs';
import { cli, cliEnv, SOURCE_BIN_ARGS } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
let matrix: string;
let table: string;
const servers: Server[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-output-target-'));
  matrix = join(dir, 'matrix.json');
  await writeFile(matrix, JSON.stringify(smallMatrix(), null, 2));
  const printed = await cli(['table', matrix]);
  expect(printed.code, printed.stderr).toBe(0);
  table = printed.stdout;
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

/** Exit 2 HARNESS_USAGE naming --out, the path and what it is, with the fix; no stack. */
async function expectRefused(path: string, what: string): Promise<void> {
  const result = await cli(['table', matrix, '--out', path]);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`HARNESS_USAGE: --out ${path}: ${what}`);
  expect(result.stderr).toContain('omit --out and redirect stdout');
  expect(result.stderr).toContain('Nothing was written.');
  expect(result.stderr).not.toMatch(/\n\s+at |HARNESS_INTERNAL/);
}

describe('table --out refuses what is not a regular file, and leaves it as it was', () => {
  it('a FIFO, and a link to it (as /dev/stdout is to the pipe when stdout is piped)', async () => {
    const fifo = join(dir, 'fifo');
    await promisify(execFile)('mkfifo', [fifo]);
    await expectRefused(fifo, 'is a FIFO, not a regular file');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    const link = join(dir, 'stdout-like');
    await symlink(fifo, link);
    await expectRefused(link, `is a symbolic link to a FIFO (${fifo}), not to a regular file`);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('a socket', async () => {
    const socket = join(dir, 'socket');
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    await expectRefused(socket, 'is a socket, not a regular file');
    expect((await lstat(socket)).isSocket()).toBe(true);
  });

  it.skipIf(process.getuid?.() !== 0)('a device (a null device made in the temp folder), and a link to it', async () => {
    const device = join(dir, 'null-device');
    await promisify(execFile)('mknod', ['-m', '666', device, 'c', '1', '3']);
    await expectRefused(device, 'is a device, not a regular file');
    const link = join(dir, 'linked-device');
    await symlink('null-device', link);
    await expectRefused(link, 'is a symbolic link to a device (null-device), not to a regular file');
    const after = await lstat(device);
    expect(after.isCharacterDevice()).toBe(true);
    expect(after.mode & 0o777).toBe(0o666);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it.skipIf(!existsSync('/proc/self/fd'))('its own stdout when that is a pipe (a link to /proc/self/fd/1, as /dev/stdout is) is written to, as `> /dev/stdout` writes: the pipe stays a pipe', async () => {
    // Node's child_process pipes are socket pairs; a shell's are FIFOs: either is a stream the table goes into.
    const link = join(dir, 'own-stdout');
    await symlink('/proc/self/fd/1', link);
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [...SOURCE_BIN_ARGS, 'table', matrix, '--out', link], { env: cliEnv({}) }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(table);
    expect(await readlink(link)).toBe('/proc/self/fd/1');
  });

  it('a link to nothing (a process substitution whose pipe is gone) says so, and stays a link', async () => {
    const link = join(dir, 'gone-pipe');
    await symlink('pipe:[4026532]', link);
    await expectRefused(link, 'is a symbolic link to pipe:[4026532], which does not exist (no file to write through to)');
    expect(await readlink(link)).toBe('pipe:[4026532]');
    expect(await outputTargetProblem(join(dir, 'not-there.md'))).toBeUndefined();
  });
});

describe('table --out writes a regular file as before', () => {
  it('a file replaced keeps its mode (0666 stays 0666), through a link too', async () => {
    const file = join(dir, 'shared.md');
    await writeFile(file, 'old\n');
    await chmod(file, 0o666);
    const link = join(dir, 'shared-link.md');
    await symlink(file, link);
    for (const path of [file, link]) {
      const result = await cli(['table', matrix, '--out', path]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(`wrote ${path}\n`);
      expect(await readFile(file, 'utf8')).toBe(table);
      expect((await stat(file)).mode & 0o777).toBe(0o666);
    }
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });
});
