/**
 * @module transport/record-lock
 * One record run per target folder at a time. A record run decides what to keep by what the folder holds when a case
 * ends (fewer trials than the recording, an outage, a denial: record-target.ts) and then renames its file over it:
 * two runs into one folder could each check, then write, and a `--repeat 1` recording replaced a `--repeat 3` one
 * (a flaky cell replayed as a pass). So a record run takes `<fixtures>/<target>/.record-lock` (made with O_EXCL,
 * holding its pid, host, pid namespace and start: pid-mark.ts) before anything is sent, and removes it when it ends
 * (on any exit, Ctrl-C too), only while it is still its own. A second run refuses (exit 2), naming the lock and the
 * run holding it; a lock whose run is surely gone (a killed run: pid-mark's markGone) is taken over with a warning.
 * The target folder is never a link (the lock would be written wherever it points) nor a file: both are the user's,
 * refused with exit 2 as an unwritable folder is. A folder the lock made is removed again when the run left it empty.
 */
import { unlinkSync } from 'node:fs';
import { link, lstat, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { folderName } from '../names.ts';
import { removeEmptyFolders } from '../atomic-write.ts';
import { describeMark, whyNotGone, markGone, pidMarkText, readPidMark } from '../pid-mark.ts';
import { readRegularFileSync } from '../regular-file.ts';
import { linkedFolderProblem } from './fixture-links.ts';

/** The lock's name in a target folder: a dot file, which replay, `fixtures prune` and the model lists skip. */
export const RECORD_LOCK = '.record-lock';

/** Locks this process holds: the run that took each (`owner`), the first folder taking it made (removed again when left empty), and the lock's text (removed only while the file still holds it). */
const held = new Map<string, { owner: object; top: string | undefined; text: string }>();
let onExit = false;

/**
 * Takes `target`'s lock under `fixturesDir` for `owner` (the run: releaseRecordLocks frees its locks only), or throws
 * HARNESS_USAGE naming the run that holds it; `warn` says a takeover.
 */
export async function lockRecordTarget(fixturesDir: string, target: string, owner: object, warn: (line: string) => void): Promise<void> {
  const dir = join(fixturesDir, folderName(target));
  const lock = join(dir, RECORD_LOCK);
  if (held.has(lock)) throw busy(lock, 'another record run of this process');
  const found = await lstat(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : error));
  if (found instanceof Error) throw lockError(lock, found);
  if (found?.isSymbolicLink()) throw new HarnessError('HARNESS_USAGE', `--fixtures: ${linkedFolderProblem(dir)}. Nothing was recorded`);
  if (found && !found.isDirectory()) throw new HarnessError('HARNESS_USAGE', `--fixtures: ${dir} is not a folder; a record run of --target-name ${JSON.stringify(folderName(target))} writes its recordings in a folder of that name. Move the file out of ${fixturesDir}, or record under another --target-name. Nothing was recorded`);
  const top = await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw lockError(lock, error);
  });
  const text = pidMarkText();
  if (!onExit) {
    onExit = true;
    process.on('exit', () => releaseRecordLocks());
  }
  for (let tries = 0; ; tries++) {
    try {
      await writeFile(lock, text, { flag: 'wx' });
      held.set(lock, { owner, top, text });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw lockError(lock, error);
    }
    const mark = await readPidMark(lock);
    if (!mark || !markGone(mark) || tries > 0) {
      removeMade(dir, top);
      throw busy(lock, mark ? `another record run (${describeMark(mark)}; ${whyNotGone(mark)})` : 'a record run whose lock cannot be read');
    }
    // Set aside, then checked: a run that took the stale lock over meanwhile holds its own, which goes back.
    const aside = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
    await rename(lock, aside).catch(() => undefined);
    const moved = await readPidMark(aside);
    if (moved && (moved.pid !== mark.pid || moved.startedAt !== mark.startedAt)) {
      await link(aside, lock).catch(() => undefined);
      await unlink(aside).catch(() => undefined);
      removeMade(dir, top);
      throw busy(lock, `another record run (${describeMark(moved)}; ${whyNotGone(moved)})`);
    }
    await unlink(aside).catch(() => undefined);
    warn(`warning: --fixtures: took over ${lock}, left by a record run that is gone (${describeMark(mark)})`);
  }
}

/** Removes `owner`'s locks (every one on exit), and the folders taking them made that are empty now. */
export function releaseRecordLocks(owner?: object): void {
  for (const [lock, { owner: by, top, text }] of held) {
    if (owner !== undefined && by !== owner) continue;
    held.delete(lock);
    // Only this run's own lock: one another run took over (it judged this run gone) is that run's to remove.
    if (readRegularFileSync(lock, 4096) === text) {
      try {
        unlinkSync(lock);
      } catch {
        // Gone already (the folder was moved or removed): nothing of this run's is left there.
      }
    }
    removeMade(dirname(lock), top);
  }
}

/** Removes `dir` and its parents up to `top` (the first folder the lock made) while they are empty. */
function removeMade(dir: string, top: string | undefined): void {
  if (top !== undefined) removeEmptyFolders(dir, top);
}

function busy(lock: string, who: string): HarnessError {
  return new HarnessError('HARNESS_USAGE', `--fixtures: ${who} is recording into ${dirname(lock)} (its lock: ${lock}); two record runs into one target folder would each replace what the other keeps (a --repeat 1 recording over a --repeat 3 one). Wait for it to end, or record under another --target-name; if no such run is going, remove the lock (a lock of another host or container, or of a running process, is never taken over). Nothing was recorded`);
}

function lockError(lock: string, cause: unknown): HarnessError {
  return new HarnessError('HARNESS_USAGE', `--fixtures: cannot make the record lock ${lock} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}); give a fixtures folder you can write to`, { cause });
}
