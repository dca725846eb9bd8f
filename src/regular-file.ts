/**
 * @module regular-file
 * Reading a file that must be a regular file: a FIFO, a socket or a device where one is expected is never opened in a
 * way that waits (the run would wait with it, and no signal could end it), and a link is not followed.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';

/** A FIFO, a socket or a device: neither a regular file, nor a folder, nor a link (lstat's view). */
export function isSpecialFile(info: Stats): boolean {
  return !info.isFile() && !info.isDirectory() && !info.isSymbolicLink();
}

/** What a path that is neither a regular file nor a folder is, as messages name it. */
export function specialKind(info: Stats): string {
  return info.isFIFO() ? 'a FIFO' : info.isSocket() ? 'a socket' : 'a device';
}

/**
 * The text of a regular file (a link is not followed), or undefined: its first `head` bytes, or all of it when it has
 * at most `most` bytes. Anything else is not opened at all: a named pipe opened to read waits for a writer, and the
 * run with it (no signal could end it). A leading UTF-8 byte order mark is left out: a Windows editor adds one to a
 * file it saves again, which is still the harness's own (read-matrix.ts reads such a matrix.json too), and refusing it
 * would stop every later run in that folder. The one place the own-file rules read a file (OWN_REPORTS here,
 * history-reports.ts, the schema files: schema-command.ts), and how the fixtures' own readers read a recording's provenance.
 */
export async function readRegularFile(file: string, size: { head: number } | { most: number }): Promise<string | undefined> {
  if (!(await lstat(file).catch(() => undefined))?.isFile()) return undefined;
  const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return undefined;
    if ('most' in size) return stat.size <= size.most ? (await handle.readFile('utf8')).replace(/^\uFEFF/, '') : undefined;
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(size.head), 0, size.head, 0);
    return buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}

/** readRegularFile's `most` form, for what must run at once (an exit handler): the same refusals, no waiting. */
export function readRegularFileSync(file: string, most: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    return stat.isFile() && stat.size <= most ? readFileSync(fd, 'utf8').replace(/^\uFEFF/, '') : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
