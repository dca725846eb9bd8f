/**
 * @module cli/in-place-input
 * `report reports/matrix.json` renders its input where it lies: the folder's matrix.json is written again from what
 * was read. Which file that is is settled once, before the read: where the folder's matrix.json leads (through a
 * link, latest/matrix.json -> ../runs/a/matrix.json) and that file's identity. That file is read, and it is written
 * only while the folder's matrix.json still leads to it and it is still the file read: a `latest` link another job
 * repointed during the read (a second for a large run) would otherwise have run A's data written over run B's.
 */
import { lstat, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';

/** The input of `report` when it is the report folder's own matrix.json, as it was found before the read. */
export interface InPlaceInput {
  /** The folder's matrix.json, as the folder names it (a link, or the file itself). */
  name: string;
  /** The file it leads to (its real path): read, and written again. */
  file: string;
  /** That file's identity (dev:ino) when it was found. */
  identity: string;
  /** Whether `name` is a symbolic link: the file is written through it, and the link stays a link. */
  linked: boolean;
  /** How many names (hard links) the file has: only `name`'s is replaced by the write. */
  links: number;
}

/** The identity and link count of what `path` leads to, or undefined when it leads to nothing. */
async function identityOf(path: string): Promise<{ identity: string; links: number } | undefined> {
  // As bigints: a file id of NTFS or ReFS does not fit a double (report-dir-guard.ts fileIdentity).
  const found = await stat(path, { bigint: true }).catch(() => undefined);
  return found ? { identity: `${found.dev}:${found.ino}`, links: Number(found.nlink) } : undefined;
}

/**
 * The input `file` as the matrix.json of `dir`, resolved once, or undefined when it is not that file (rendered
 * elsewhere: nothing is written over it) or cannot be found (the read says why).
 */
export async function inPlaceInput(dir: string, file: string): Promise<InPlaceInput | undefined> {
  const input = await identityOf(file);
  const name = join(dir, 'matrix.json');
  const real = await realpath(name).catch(() => undefined);
  const found = real === undefined ? undefined : await identityOf(real);
  if (!input || !found || found.identity !== input.identity) return undefined;
  const linked = (await lstat(name).catch(() => undefined))?.isSymbolicLink() === true;
  return { name, file: real!, identity: found.identity, linked, links: found.links };
}

/** Where the folder's matrix.json is written (relative to `dir`): through its link to the file read, if it is one. */
export function placedMatrix(dir: string, input: InPlaceInput | undefined): Record<string, string> {
  return input?.linked ? { 'matrix.json': relative(dir, input.file) } : {};
}

/**
 * Refuses (HARNESS_USAGE, exit 2) to go on when the folder's matrix.json no longer leads to the file that was read,
 * or that file is not the one read (repointed, moved away, replaced): what was read is then not written over
 * another run's data. Checked after the read, and again just before the write renames anything into place.
 */
export async function checkStillInPlace(input: InPlaceInput, given: string): Promise<void> {
  const now = await realpath(input.name).catch(() => undefined);
  const found = now === undefined ? undefined : await identityOf(now);
  if (now === input.file && found?.identity === input.identity) return;
  const file = inertLine(input.file, 300);
  const what =
    now === undefined || !found
      ? `it leads to no file now (${file}, which was read, was moved or removed)`
      : now !== input.file
        ? `it leads to ${inertLine(now, 300)} now, not to ${file}, which was read (the link was repointed)`
        : `${file} is another file now than the one read (replaced)`;
  throw new HarnessError('HARNESS_USAGE', `report ${inertLine(given, 300)}: ${inertLine(input.name, 300)} changed while report read it: ${what}; what was read is not written over another file. Nothing was written; run report again once nothing moves it.`);
}
