/**
 * @module pid-mark
 * Which process made something on disk (a record run's lock, a `fixtures` run's folder), and whether it is surely
 * gone. The mark is the pid, the host, when it started, and where a pid means one process: the pid namespace (the
 * inode of /proc/self/ns/pid), the boot (/proc/sys/kernel/random/boot_id) and the process's start (/proc/<pid>/stat
 * field 22, in clock ticks since boot). A hostname alone does not say "this machine's pids": two containers sharing
 * a checkout (`docker run --network host`) have one hostname and separate pids, and a pid that ended may be reused.
 * So a mark is gone only when it is of this host, this namespace and this boot, and its pid is not running, or runs a
 * process that started at another time (the pid was reused). Anything it cannot tell (another host or container, a
 * mark without them, one that cannot be read) is taken as held, and the user is told how to end it by hand.
 */
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { readRegularFile } from './regular-file.ts';

/** What a mark file holds (pidNamespace, bootId and processStart are absent where /proc is not, and in older marks). */
export interface PidMark {
  pid: number;
  host: string;
  startedAt: string;
  pidNamespace?: number;
  bootId?: string;
  processStart?: string;
}

/** Where this process's pids mean one process: its pid namespace and boot, each undefined where /proc does not say. */
export function thisPidSpace(): { pidNamespace?: number; bootId?: string } {
  const pidNamespace = tryRead(() => statSync('/proc/self/ns/pid').ino);
  const bootId = tryRead(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  return { ...(pidNamespace !== undefined ? { pidNamespace } : {}), ...(bootId ? { bootId } : {}) };
}

/** This process's mark, as a file's text. */
export function pidMarkText(): string {
  const start = processStart(process.pid);
  const mark: PidMark = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), ...thisPidSpace(), ...(start ? { processStart: start } : {}) };
  return `${JSON.stringify(mark)}\n`;
}

/** The mark in `file`, or undefined when there is none or it is not a mark (cut short, someone's, not a regular file). */
export async function readPidMark(file: string): Promise<PidMark | undefined> {
  try {
    // Not opened unless a regular file: a FIFO at the path would wait for a writer, and the run with it.
    const text = await readRegularFile(file, { most: 4096 });
    if (text === undefined) return undefined;
    const value = JSON.parse(text) as Partial<PidMark> | null;
    if (!value || !Number.isInteger(value.pid) || value.pid! <= 0 || typeof value.host !== 'string' || typeof value.startedAt !== 'string') return undefined;
    if (!optional(value.pidNamespace, 'number') || !optional(value.bootId, 'string') || !optional(value.processStart, 'string')) return undefined;
    return value as PidMark;
  } catch {
    return undefined;
  }
}

/**
 * Whether the process that made `mark` has surely ended: this host, this pid namespace and boot, and its pid not
 * running (EPERM: running as another user) or running a process that started at another time than the mark says.
 */
export function markGone(mark: PidMark): boolean {
  if (mark.host !== hostname()) return false;
  const here = thisPidSpace();
  if (mark.pidNamespace !== here.pidNamespace || mark.bootId !== here.bootId) return false;
  if (mark.pid === process.pid) return false;
  try {
    process.kill(mark.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const start = processStart(mark.pid);
  return start !== undefined && mark.processStart !== undefined && start !== mark.processStart;
}

/** Why `markGone` could not call the mark's process ended, for the message that refuses to take its place. */
export function whyNotGone(mark: PidMark): string {
  if (mark.host !== hostname()) return 'it is another host\'s';
  if (mark.pidNamespace === undefined || mark.bootId === undefined) return 'an earlier version wrote it, with no pid namespace or boot to tell whether its process still runs';
  const here = thisPidSpace();
  if (mark.pidNamespace !== here.pidNamespace || mark.bootId !== here.bootId) return 'it is another container\'s or from before this machine restarted: whether its process still runs cannot be told';
  return 'its process is running';
}

/** `pid 123 on host h, started 2026-…`: a mark, for a message (the host is the machine's own name, said inert). */
export function describeMark(mark: PidMark): string {
  return `pid ${mark.pid} on host ${JSON.stringify(mark.host.slice(0, 100))}, started ${JSON.stringify(mark.startedAt.slice(0, 40))}`;
}

/**
 * When process `pid` started (field 22 of /proc/<pid>/stat), or undefined where that cannot be read, or where this
 * /proc is another pid namespace's (`unshare --pid` without its own /proc): its /proc/<pid> is another process.
 */
function processStart(pid: number): string | undefined {
  if (tryRead(() => readlinkSync('/proc/self')) !== String(process.pid)) return undefined;
  const stat = tryRead(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  // The command name (field 2) is in parentheses and may hold spaces: fields are counted after its last ')'.
  const field = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return field && /^\d+$/.test(field) ? field : undefined;
}

function optional(value: unknown, type: 'number' | 'string'): boolean {
  return value === undefined || typeof value === type;
}

function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
