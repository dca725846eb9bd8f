/**
 * @module cli/fixtures-ownership
 * What `fixtures` may replace or remove: only what a `fixtures` run made. A target folder it replaces (emulator/,
 * runtime.emulator/) must hold recordings it made and nothing else: each a fixture by the rule `fixtures prune`
 * removes by (fixture-file's isHarnessFixture), recorded from the emulator (provenance source `emulator`) for that
 * target and surface (or with no surface: its versions before surfaces wrote none). A model the catalog no longer
 * has is still its own output: replaced with the folder. A user's recording kept there (a live one: `--target-name
 * emulator` is a documented path) stops it before anything is written (exit 2, naming the files): replacing the
 * folder would delete them. A record run's lock there (transport/record-lock.ts)
 * says a run is recording into it; one whose run is gone, and a temp file a killed write left, are the harness's.
 * The folder each run records into first (`.emulator-recording-*` in the fixtures root) holds a mark with its pid
 * (pid-mark.ts): a later `fixtures` run removes one whose run is gone (killed), and only one with the mark.
 */
import { lstat, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative, sep } from 'node:path';
import { HarnessError } from '../errors.ts';
import { describeMark, markGone, pidMarkText, readPidMark, thisPidSpace } from '../pid-mark.ts';
import { inertLine } from '../report/inert-text.ts';
import { fixtureJson, isHarnessFixture, type FixtureProvenance } from '../transport/fixture-file.ts';
import { RECORD_LOCK } from '../transport/record-lock.ts';
import { otherSuitesRecording } from './suites-conflict.ts';

/** How the folder a `fixtures` run records into is named in the fixtures root (mkdtemp adds six characters). */
export const RECORDING_FOLDER = '.emulator-recording-';
/** The mark in such a folder: the pid, host and start of the run that made it. */
const RUN_MARK = '.fixtures-run';
/** A temp file of the atomic writer (atomic-write.ts): `<file>.<pid>.<8 hex>.tmp`. */
const TEMP_FILE = /\.json\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** The --suites folder the recordings come from, and the fixtures root they end up in (absolute). */
export type Owner = { suitesDir: string; fixturesRoot: string; root: string };
/** What a `fixtures` run records into a target folder: the target and its surface. */
export type Made = { target: string; surface: string };

/** Makes the folder to record into in `root`, marked as this run's. */
export async function recordingFolder(root: string): Promise<string> {
  const fresh = await mkdtemp(join(root, RECORDING_FOLDER));
  await writeFile(join(fresh, RUN_MARK), pidMarkText());
  return fresh;
}

/** The recording folders of `fixtures` runs in `root`, each with its mark (undefined: none that reads). */
export async function recordingFolders(root: string): Promise<{ dir: string; mark: Awaited<ReturnType<typeof readPidMark>> }[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory() && e.name.startsWith(RECORDING_FOLDER)).map((e) => join(root, e.name)).sort();
  return Promise.all(dirs.map(async (dir) => ({ dir, mark: await readPidMark(join(dir, RUN_MARK)) })));
}

/** Removes the recording folders of `fixtures` runs that are gone (killed: their own cleanup never ran); says each. */
export async function removeLeftFolders(root: string, out: NodeJS.WritableStream): Promise<void> {
  for (const { dir, mark } of await recordingFolders(root)) {
    if (!mark || !markGone(mark)) continue;
    await rm(dir, { recursive: true, force: true });
    out.write(`removed ${inertLine(dir, 300)}: the recording folder of a fixtures run that ended without removing it (${describeMark(mark)})\n`);
  }
}

/**
 * The harness deletes only what it made: a folder it is about to replace must hold what `fixtures` made and nothing
 * else (see the module). What is there must be a folder, or nothing: a file of that name (or a link to one) is the
 * user's, and a folder that cannot be read is not known to be empty. A link to a folder is checked through; the link
 * is what gets replaced, never what it points to. A recording of another --suites folder is that folder's
 * (run/suites-ownership.ts): replacing the folder would drop it.
 */
export async function assertOnlyFixtures(dir: string, owner: Owner, made: Made): Promise<void> {
  const refuse = (why: string, cause?: unknown) =>
    new HarnessError('HARNESS_USAGE', `--fixtures: ${inertLine(dir, 300)} ${why}; the new recordings go to that path: move it out of the fixtures root before re-recording (nothing was deleted)`, cause === undefined ? undefined : { cause });
  const code = (error: unknown) => inertLine((error as NodeJS.ErrnoException).code ?? (error as Error).message, 200);
  const found = await lstat(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : error));
  if (found === undefined) return;
  if (found instanceof Error) throw refuse(`cannot be read (${code(found)})`, found);
  const folder = found.isDirectory() || (found.isSymbolicLink() && (await stat(dir).catch(() => undefined))?.isDirectory());
  if (!folder) throw refuse(`is ${found.isSymbolicLink() ? 'a link to no folder' : 'not a folder'}, and not a recording the harness made`);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw refuse(`cannot be read (${code(error)}), so it is not known to hold only recordings`, error);
  });
  const recordings: string[] = [];
  const notMade: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    const path = join(entry.parentPath, entry.name);
    if (await harnessLeftover(dir, path)) continue;
    if (!entry.name.endsWith('.json') || !(await isHarnessFixture(path, dir))) {
      // Said apart: a folder of recordings one level too deep (a backup of a model's folder) reads as fixtures file by file.
      const deep = relative(dir, path).split(sep).length > 2 ? ` (the harness writes ${inertLine(join(dir, '<model>', '<case>.json'), 300)}, at that depth: what is deeper, such as a backup of a model's folder, is yours, and replacing ${inertLine(dir, 300)} would delete it)` : '';
      throw new HarnessError('HARNESS_USAGE', `--fixtures: ${inertLine(path, 300)} is not a recording the harness made${deep}; move it out of ${inertLine(dir, 300)} before re-recording (nothing was deleted)`);
    }
    if (!(await madeByFixtures(path, made))) notMade.push(path);
    recordings.push(path);
  }
  if (notMade.length) {
    notMade.sort();
    const listed = notMade.slice(0, 5).map((f) => inertLine(f, 300)).join(', ') + (notMade.length > 5 ? ` and ${notMade.length - 5} more` : '');
    throw new HarnessError('HARNESS_USAGE', `--fixtures: ${inertLine(dir, 300)} holds ${notMade.length} recording(s) fixtures did not make (recorded live, or for another target or surface): ${listed}. fixtures replaces all of ${inertLine(dir, 300)}, which would delete them: record them under another --target-name, or move them out of ${inertLine(dir, 300)}, then run fixtures again (nothing was deleted)`);
  }
  // All at once: the refusal counts them and lists them with one command, not one file per try.
  const taken = await otherSuitesRecording({ ...owner, fixturesDir: owner.fixturesRoot }, recordings, `the new recordings replace all of ${inertLine(dir, 300)}, and would drop them`);
  if (taken) throw new HarnessError('HARNESS_USAGE', `--fixtures: ${taken} (nothing was deleted)`);
}

/** Whether a fixture's provenance says `fixtures` made it: from the emulator, for this target and surface (none: written before surfaces), of any model. */
async function madeByFixtures(path: string, made: Made): Promise<boolean> {
  try {
    const { provenance } = fixtureJson(await readFile(path, 'utf8')) as { provenance: Partial<FixtureProvenance> };
    return provenance.source === 'emulator' && provenance.target === made.target && (provenance.surface ?? made.surface) === made.surface;
  } catch {
    return false;
  }
}

/**
 * Whether `path` in the target folder `dir` is the harness's own leftover, removed with the folder: the lock of a record
 * run that is gone (one still going stops `fixtures`, named), or a temp file a killed write left (its pid not running).
 */
async function harnessLeftover(dir: string, path: string): Promise<boolean> {
  if (path === join(dir, RECORD_LOCK)) {
    const mark = await readPidMark(path);
    if (mark && markGone(mark)) return true;
    throw new HarnessError('HARNESS_USAGE', `--fixtures: ${mark ? `a record run (${describeMark(mark)})` : 'a record run whose lock cannot be read'} is recording into ${inertLine(dir, 300)} (its lock: ${inertLine(path, 300)}); wait for it to end, then run fixtures again; if no such run is going, remove the lock (nothing was deleted)`);
  }
  const pid = TEMP_FILE.exec(path)?.[1];
  if (pid === undefined || !(await lstat(path).catch(() => undefined))?.isFile()) return false;
  // Named by its pid alone: gone when that pid is not running here (a live writer holds the folder's lock, which stops fixtures).
  return markGone({ pid: Number(pid), host: hostname(), startedAt: '', ...thisPidSpace() });
}
