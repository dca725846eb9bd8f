/**
 * @module cli/output-target
 * What a file a command was told to write (`table --out`, `schema`) may already be: nothing, a regular file, or a
 * link to one (written through). The write renames a temp file over its path (atomic-write.ts), which turns anything
 * else into a regular file: `--out /dev/null` run as root would replace the machine's /dev/null, a FIFO would stop
 * being one. Such a path is refused before
 * anything is read or written, with the fix (print to stdout and redirect it), never replaced. A path that names one
 * of this process's open descriptors (/dev/stdout, /dev/fd/3, /proc/self/fd/1, or a link through them) is not a file
 * to replace but a stream the shell opened: `--out /dev/stdout >> summary.md` renamed a new file over summary.md,
 * wiping what the step had written there. It is written to as `> /dev/stdout` writes (descriptorOf).
 */
import { writeSync } from 'node:fs';
import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { specialKind } from '../regular-file.ts';

/**
 * Why `path` must not be written over, or undefined: nothing is there yet, a regular file or a link to one is (a
 * folder, a file in the way of its folder, no permission are left to the write, which says each).
 */
export async function outputTargetProblem(path: string): Promise<string | undefined> {
  return problemOf(path, await descriptorOf(path));
}

async function problemOf(path: string, descriptor: Descriptor | undefined): Promise<string | undefined> {
  // Another process's descriptor is its stream, not this one's: written through /proc, the file it leads to would be replaced.
  if (descriptor && descriptor.pid !== process.pid) return `leads to descriptor ${descriptor.fd} of another process (pid ${descriptor.pid}), not one of this command's`;
  if (descriptor) return ownDescriptorProblem(descriptor.fd);
  const here = await lstat(path).catch(() => undefined);
  if (!here) return undefined;
  const link = here.isSymbolicLink() ? inertLine(await readlink(path).catch(() => '?'), 200) : undefined;
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (found instanceof Error) {
    if (link === undefined) return undefined;
    // `pipe:[123]` (a process substitution whose pipe is gone) or a file not made yet: there is nothing to write through to.
    return found.code === 'ELOOP' ? 'is a symbolic link that leads in a loop' : `is a symbolic link to ${link}, which does not exist (no file to write through to)`;
  }
  if (found.isFile() || found.isDirectory()) return undefined;
  const kind = specialKind(found);
  return link === undefined ? `is ${kind}, not a regular file` : `is a symbolic link to ${kind} (${link}), not to a regular file`;
}

/**
 * Refuses (HARNESS_USAGE, exit 2, naming `asker` and `fix`) a path `outputTargetProblem` refuses: writing the file
 * would replace a device, a FIFO, a socket or a link with a regular file. Else the descriptor of this process the
 * path names, if it names one: the text goes to it (writeToDescriptor), not to a file renamed over its path.
 */
export async function checkOutputTarget(path: string, asker: string, fix: string): Promise<Descriptor | undefined> {
  const descriptor = await descriptorOf(path);
  const problem = await problemOf(path, descriptor);
  if (!problem) return descriptor;
  if (descriptor) throw new HarnessError('HARNESS_USAGE', `${asker} ${inertLine(path, 300)}: ${problem}; ${fix}. Nothing was written.`);
  throw new HarnessError('HARNESS_USAGE', `${asker} ${inertLine(path, 300)}: ${problem}; the file is written by renaming a new one over its path, which would leave a regular file in its place; ${fix}. Nothing was written.`);
}

/** An open descriptor a path names: `fd` of process `pid`. */
export interface Descriptor {
  pid: number;
  fd: number;
}

/** /proc/<pid>/fd/N (/proc/self and /proc/thread-self resolve to it), and /dev/fd/N where /dev/fd is no link (macOS). */
const DESCRIPTOR_PATH = /^\/proc\/(\d+)(?:\/task\/\d+)?\/fd\/(\d+)$|^\/dev\/fd\/(\d+)$/;

/**
 * The open descriptor `path` names, following its links one at a time (/dev/stdout -> /proc/self/fd/1), or
 * undefined. Each step's folder is resolved (/dev/fd -> /proc/<pid>/fd) but never the descriptor's own link: what it
 * leads to (the file stdout was redirected to, `pipe:[123]`) is the stream, not a path to write a new file at.
 */
export async function descriptorOf(path: string): Promise<Descriptor | undefined> {
  let next = resolve(path);
  // As many links as the system follows in one path (Linux's MAXSYMLINKS): a loop ends here, and the write says ELOOP.
  for (let hop = 0; hop < 40; hop++) {
    const folder = await realpath(dirname(next)).catch(() => undefined);
    if (folder === undefined) return undefined;
    const here = join(folder, basename(next));
    const named = DESCRIPTOR_PATH.exec(here);
    if (named) return named[3] !== undefined ? { pid: process.pid, fd: Number(named[3]) } : { pid: Number(named[1]), fd: Number(named[2]) };
    if (!(await lstat(here).catch(() => undefined))?.isSymbolicLink()) return undefined;
    const target = await readlink(here).catch(() => undefined);
    if (target === undefined) return undefined;
    next = resolve(folder, target);
  }
  return undefined;
}

/** Linux's open flags (octal, as /proc/self/fdinfo gives them): the access mode bits, and read-only. */
const ACCESS_MODE = 0o3;
const READ_ONLY = 0o0;

/** The open flags of this process's descriptor `fd`, or undefined (not open, or no /proc/self/fdinfo: macOS). */
async function flagsOf(fd: number): Promise<number | undefined> {
  const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '');
  const flags = Number.parseInt(/^flags:\s*([0-7]+)$/m.exec(info)?.[1] ?? '', 8);
  return Number.isNaN(flags) ? undefined : flags;
}

/**
 * Why this process's descriptor `fd` is not one to write the output to, or undefined. The shell passes on what a
 * command line redirects (`3> t.md`, `>(gzip > t.gz)`); Node opens its event loop's own (an eventfd, an epoll, a
 * pipe it reads itself), and written to, one of those would upset the loop, not reach a file. Where /proc/self/fd
 * is not (macOS), the write says what it meets.
 */
async function ownDescriptorProblem(fd: number): Promise<string | undefined> {
  const link = await readlink(`/proc/self/fd/${fd}`).catch((error: NodeJS.ErrnoException) => error);
  if (link instanceof Error) return link.code === 'ENOENT' && (await stat('/proc/self/fd').catch(() => undefined)) ? `names descriptor ${fd}, which is not open (redirect it: ${fd}> file)` : undefined;
  if (link.startsWith('anon_inode:')) return `names descriptor ${fd}, which this process opened for itself (${inertLine(link, 100)}), not a file or a stream`;
  const flags = await flagsOf(fd);
  if (flags !== undefined && (flags & ACCESS_MODE) === READ_ONLY) return `names descriptor ${fd}, which is open for reading only`;
  if (/^pipe:\[\d+\]$/.test(link) && (await readsPipe(link, fd))) return `names descriptor ${fd}, a pipe this process reads itself (one of its own), not a stream the shell passed on`;
  return undefined;
}

/** Whether another descriptor of this process is the reading end of `pipe` (`pipe:[123]`). */
async function readsPipe(pipe: string, fd: number): Promise<boolean> {
  for (const name of await readdir('/proc/self/fd').catch(() => [] as string[])) {
    const other = Number(name);
    if (other === fd || (await readlink(`/proc/self/fd/${name}`).catch(() => '')) !== pipe) continue;
    const flags = await flagsOf(other);
    if (flags !== undefined && (flags & ACCESS_MODE) === READ_ONLY) return true;
  }
  return false;
}

/**
 * Writes `text` to this process's descriptor `fd` as a shell's `> /dev/stdout` does: at the descriptor's offset (the
 * end, for `>>`), nothing truncated, renamed or replaced. A stream Node made non-blocking (stdout on a pipe) that is
 * full is waited for, not given up on.
 */
export async function writeToDescriptor(fd: number, text: string): Promise<void> {
  let bytes = Buffer.from(text, 'utf8');
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      await sleep(10);
    }
  }
}
