/**
 * @module pid-mark
 * Which process made something on disk (a record run's lock, a `fixtures` run's folder), and whether it is gone: the
 * mark is the pid, the host and when it started. Only a mark of this host whose pid is not running is gone; another
 * host's, or one that cannot be read, is taken as held (its pid says nothing here), and the user is told how to end it.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/** What a mark file holds. */
export interface PidMark {
  pid: number;
  host: string;
  startedAt: string;
}

/** This process's mark, as a file's text. */
export function pidMarkText(): string {
  return `${JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() } satisfies PidMark)}\n`;
}

/** The mark in `file`, or undefined when there is none or it is not a mark (cut short, someone's). */
export async function readPidMark(file: string): Promise<PidMark | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<PidMark> | null;
    if (!value || !Number.isInteger(value.pid) || value.pid! <= 0 || typeof value.host !== 'string' || typeof value.startedAt !== 'string') return undefined;
    return value as PidMark;
  } catch {
    return undefined;
  }
}

/** Whether the process that made `mark` has ended: on this host, and its pid not running (EPERM: running as another user). */
export function markGone(mark: PidMark): boolean {
  if (mark.host !== hostname()) return false;
  if (mark.pid === process.pid) return false;
  try {
    process.kill(mark.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** `pid 123 on host h, started 2026-…`: a mark, for a message (the host is the machine's own name, said inert). */
export function describeMark(mark: PidMark): string {
  return `pid ${mark.pid} on host ${JSON.stringify(mark.host.slice(0, 100))}, started ${JSON.stringify(mark.startedAt.slice(0, 40))}`;
}
