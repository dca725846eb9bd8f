/**
 * @module atomic-write
 * A file is replaced whole or not at all: written to a temp file beside it, then renamed over it. The temp file is
 * removed on every failure path, and a full disk is HARNESS_DISK_FULL naming the file (`writeError`).
 */
import { randomBytes } from 'node:crypto';
import { rmdirSync, rmSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeError } from './errors.ts';
import { isWithin } from './shown-path.ts';
import { INTERRUPTED_EXIT, STOPPING_SIGNALS } from './signals.ts';

/** The file operations a write uses; tests pass ones that fail as a full disk does. */
export type FileWriter = Pick<typeof fs, 'mkdir' | 'writeFile' | 'rename' | 'rm'>;

/** A file written beside its place and not yet renamed over it. */
export interface StagedFile {
  readonly file: string;
  /** Renames it into place. */
  commit(): Promise<void>;
  /** Removes the temp file (never throws). */
  discard(): Promise<void>;
}

/**
 * Temp files written and not yet renamed into place or removed. A process that exits first (a second Ctrl-C exits at
 * once, while reports may be being written) removes them on its way out: the harness leaves behind nothing it made.
 * Node runs no `exit` handler for a death by signal, so while one is pending Ctrl-C and SIGTERM are listened for too.
 */
const pending = new Set<string>();
let removedOnExit = false;

/**
 * Folders a write made for its file (`mkdir -p`: `top` the first it created, `dir` the file's), until a file is
 * renamed into one: a write abandoned removes them again while they are empty, so nothing it made is left (a
 * `schema/` folder in a repository's suites would be read by the next run).
 */
const madeDirs = new Set<{ dir: string; top: string }>();

/**
 * Removes each made folder that is empty, deepest first and the last made first (a folder made inside another's
 * chain goes before it); one that holds something stays, and is tried again later.
 */
function removeMadeDirs(): void {
  for (const made of [...madeDirs].reverse()) if (removeEmptyFolders(made.dir, made.top)) madeDirs.delete(made);
}

/**
 * Removes `dir` and its parents up to `top` (the first folder something made: `mkdir -p`'s answer) while they are
 * empty; whether `top` went too. A folder that holds something stays, and so do its parents.
 */
export function removeEmptyFolders(dir: string, top: string): boolean {
  for (let at = dir; isWithin(at, top); at = dirname(at)) {
    try {
      rmdirSync(at);
    } catch {
      return false;
    }
    if (at === top) return true;
  }
  return false;
}

/**
 * While a temp file is pending: a signal no command listens for (bless, merge, history: they take none) would kill
 * the process and leave it. The temps go, and the process ends as `run` does when interrupted: 130 for Ctrl-C and
 * SIGTERM alike (one exit code for "interrupted", README's exit-code table). A command that listens itself (run, the
 * emulator) decides: this one then does nothing, and the exit it takes removes them.
 */
function onStoppingSignal(signal: NodeJS.Signals): void {
  if (signalListenersBesidesTemps(signal) > 0) return;
  removePendingTemps();
  process.exit(INTERRUPTED_EXIT);
}

/** How many listeners besides this module's own take `signal`: what a command listens for itself. */
export function signalListenersBesidesTemps(signal: NodeJS.Signals): number {
  return process.listeners(signal).filter((listener) => listener !== onStoppingSignal).length;
}

function listenWhilePending(): void {
  for (const signal of STOPPING_SIGNALS) {
    if (pending.size > 0 && !process.listeners(signal).includes(onStoppingSignal)) process.on(signal, onStoppingSignal);
    if (pending.size === 0) process.off(signal, onStoppingSignal);
  }
}

/** Removes every pending temp file now (the process is exiting), then the folders made for them; what cannot be removed is left. */
export function removePendingTemps(): void {
  for (const temp of pending) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // Exiting: nothing left to tell.
    }
  }
  pending.clear();
  removeMadeDirs();
  listenWhilePending();
}

function track(temp: string): void {
  pending.add(temp);
  listenWhilePending();
  removeOnExit();
}

function removeOnExit(): void {
  if (!removedOnExit) {
    removedOnExit = true;
    process.on('exit', removePendingTemps);
  }
}

/**
 * Makes `dir` (`mkdir -p`) for files written into it later, its new folders tracked as a write's are: removed again
 * while empty when the process exits before a file is renamed into it. `run` makes its report and history folders so
 * before anything is sent, and a run that stops first (nothing reachable, Ctrl-C) leaves none of them behind.
 */
export async function makeDirForWrites(dir: string): Promise<void> {
  const top = await fs.mkdir(dir, { recursive: true });
  if (top) {
    madeDirs.add({ dir: resolve(dir), top: resolve(top) });
    removeOnExit();
  }
}

/** `temp` is renamed into place or removed. */
function settled(temp: string): void {
  pending.delete(temp);
  listenWhilePending();
}

/** Pieces of text (a report rendered as it is written) go to the disk in writes of about this many characters. */
const WRITE_CHARS = 1 << 16;

/** The pieces joined into runs of about `WRITE_CHARS`; an error the pieces throw is noted in `failed`. */
function* joined(pieces: Iterable<string>, failed: { threw: boolean; error?: unknown }): Generator<string> {
  let run = '';
  const iterator = pieces[Symbol.iterator]();
  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = iterator.next();
    } catch (error) {
      Object.assign(failed, { threw: true, error });
      throw error;
    }
    if (next.done) break;
    run += next.value;
    if (run.length >= WRITE_CHARS) {
      yield run;
      run = '';
    }
  }
  if (run) yield run;
}

/**
 * Writes `text` to a temp file beside `file`; nothing at `file` changes until `commit`. Several files staged first
 * and committed together replace a set (the reports of a run) only once every one of them was written. Text given
 * as pieces is written as it is made; an error the pieces throw (a report that fails to render) is thrown as it is,
 * not as a write error.
 */
export async function stageFile(file: string, text: string | Uint8Array | Iterable<string>, io: FileWriter = fs): Promise<StagedFile> {
  const { mkdir, rename, rm, writeFile } = io;
  const dir = dirname(file);
  try {
    const top = await mkdir(dir, { recursive: true });
    // Resolved: walking up a relative path would pass the first folder made and go on to ones it found.
    if (top) madeDirs.add({ dir: resolve(dir), top: resolve(top) });
  } catch (cause) {
    throw writeError(file, cause);
  }
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  track(temp);
  const discard = () =>
    rm(temp, { force: true }).then(
      () => {
        settled(temp);
        removeMadeDirs();
      },
      () => undefined,
    );
  const failed: { threw: boolean; error?: unknown } = { threw: false };
  const data = typeof text === 'string' || text instanceof Uint8Array ? text : joined(text, failed);
  // A file replaced keeps its permissions (an expectations file kept 0600 stays so); a new one gets the default.
  const mode = await fs.stat(file).then(
    (found) => (found.isFile() ? found.mode & 0o777 : undefined),
    () => undefined,
  );
  try {
    await writeFile(temp, data, { encoding: 'utf8', flag: 'wx', ...(mode !== undefined ? { mode } : {}) });
    // The umask narrows the mode a file is created with (0664 came out 0644): set it as it was.
    if (mode !== undefined) await fs.chmod(temp, mode);
  } catch (cause) {
    await discard();
    throw failed.threw ? failed.error : writeError(file, cause);
  }
  return {
    file,
    discard,
    async commit() {
      try {
        await rename(temp, file);
        settled(temp);
        // A folder that holds a file the write put there is the write's result, no longer litter to remove.
        for (const made of madeDirs) if (isWithin(made.dir, resolve(dir)) && isWithin(resolve(dir), made.top)) madeDirs.delete(made);
      } catch (cause) {
        await discard();
        throw writeError(file, cause);
      }
    },
  };
}

export async function writeFileAtomic(file: string, text: string | Uint8Array, io: FileWriter = fs): Promise<void> {
  await (await stageFile(file, text, io)).commit();
}
