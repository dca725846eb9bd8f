/**
 * @module cli/earlier-reports
 * The reports an earlier run left in --report-dir, removed before a run that may stop without writing its own, and
 * the one rule of which files there are mantle-conformance's own (the rest it neither removes nor replaces).
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, readdir, realpath, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HarnessError } from '../errors.ts';
import { readRegularFile } from '../regular-file.ts';
import { specialKind } from '../regular-file.ts';

/** The reports a run writes into --report-dir, each with the start that shows mantle-conformance wrote it. */
const OWN_REPORTS: readonly (readonly [string, RegExp])[] = [
  ['matrix.json', /^\{\s*"format":\s*"mantle-conformance\.matrix\//],
  // A run with any endpoint not Mantle's titles its reports without the name (report/markdown-report.ts matrixTitle);
  // a shard's heading says it is one (report/gate-line.ts shardHeading), or its own re-render and the next run into
  // its folder would take the file for a user's. Only those words: a user's `# Compatibility matrix (notes)` stays.
  ['matrix.md', /^# (?:Mantle c|C)ompatibility matrix(?: \((?:shard \d{1,6}\/\d{1,6} of run [^\r\n]*|this shard), not the whole run\))?\r?\n/],
  ['matrix.html', /^<!doctype html>[\s\S]*?<title>(?:Mantle c|C)ompatibility matrix /],
  ['junit.xml', /^<\?xml[^>]*\?>\s*<testsuites name="mantle-conformance"/],
];

/** The reports a run, `report` and `merge` write into --report-dir, in the order they are looked at. */
export const REPORT_FILES: readonly string[] = OWN_REPORTS.map(([name]) => name);

/**
 * Whether `file` is the report `name` as mantle-conformance writes it (any build: each format starts as its first
 * build's did): a regular file, not a link, that starts as that report starts. The one rule of what a command may
 * remove or replace in --report-dir.
 */
async function isOwnReport(file: string, name: string): Promise<boolean> {
  const start = OWN_REPORTS.find(([own]) => own === name)?.[1];
  const head = start ? await readHead(file) : undefined;
  return head !== undefined && start!.test(head);
}

/**
 * The first report file of `dir` (of REPORT_FILES but `skip`) that mantle-conformance did not write, with what it
 * is (a noun: a file, a symbolic link, a folder, a FIFO, a socket, a device), or undefined: a file that does not
 * start as its report does, a link (whatever it points at), or anything not a regular file (a named pipe is never
 * opened). The writers rename over such a file: a project's own notes or another test runner's junit.xml would be
 * lost without a word, so a command refuses the folder instead.
 */
export async function foreignReport(dir: string, skip: readonly string[] = []): Promise<{ name: string; what: string } | undefined> {
  for (const name of REPORT_FILES) {
    if (skip.includes(name)) continue;
    const found = await lstat(join(dir, name)).catch(() => undefined);
    if (!found || (found.isFile() && (await isOwnReport(join(dir, name), name)))) continue;
    // A noun, as the refusal says it ("... is a FIFO that is not a report mantle-conformance wrote").
    const what = found.isSymbolicLink() ? 'a symbolic link' : found.isFile() ? 'a file' : found.isDirectory() ? 'a folder' : specialKind(found);
    return { name, what };
  }
  return undefined;
}

/** What of an earlier run's reports goes: all of them, or only the renderings (matrix.json, the data, stays). */
export type EarlierReports = 'all' | 'renderings';

/**
 * Removes the reports an earlier run left in the report folder, once it is known to be writable: a run that then
 * stops without writing its own (a signal, a crash) must not leave another run's green junit.xml to read as its
 * verdict. Only files mantle-conformance wrote go, known by how they start; a file of the same name it did not
 * write, or a link, stays. With `renderings`, matrix.json stays: a command stopped by a bad flag or input (a typo'd
 * path) must not lose the data a live run paid for; matrix.md, matrix.html and junit.xml can be rendered again from it.
 */
export async function removeEarlierReports(dir: string, keep: readonly string[] = [], which: EarlierReports = 'all'): Promise<void> {
  const kept = new Set(await Promise.all(keep.map(realPath)));
  for (const name of REPORT_FILES) {
    if (which === 'renderings' && name === 'matrix.json') continue;
    const file = join(dir, name);
    if (kept.has(await realPath(file))) continue;
    if (!(await isOwnReport(file, name))) continue;
    await rm(file, { force: true }).catch((cause: Error) => {
      throw new HarnessError('HARNESS_USAGE', `--report-dir ${dir}: cannot remove the earlier run's ${name} (${cause.message}); pick a folder you can write to. Nothing was sent.`, { cause });
    });
  }
}

/** Where a run keeps the earlier run's matrix.json while it gets ready (setAsideEarlierMatrix). */
export const EARLIER_MATRIX = 'matrix.earlier.json';

/** The names set-aside copies take: matrix.earlier.json, else matrix.earlier-<time>-<random>.json (none is replaced). */
export const ASIDE_NAME = /^matrix\.earlier(?:-\d{8}t\d{9}z-[0-9a-f]{6})?\.json$/;

/**
 * Moves the earlier run's matrix.json (one mantle-conformance wrote, known by how it starts; not a link) aside while
 * the run gets ready, to matrix.earlier.json (when that name is taken, one of its own that no file has): a run that
 * then stops (an endpoint down, credentials refused, a signal) leaves no matrix.json to read as its verdict, and
 * loses nothing a live run paid for. Moved by a hard link and an unlink, so no file of the name is ever replaced.
 */
export async function setAsideEarlierMatrix(dir: string): Promise<void> {
  const name = 'matrix.json';
  if (!(await isOwnReport(join(dir, name), name))) return;
  const stamp = () => `${new Date().toISOString().replace(/[-:.]/g, '').toLowerCase()}-${randomBytes(3).toString('hex')}`;
  for (const aside of [EARLIER_MATRIX, `matrix.earlier-${stamp()}.json`, `matrix.earlier-${stamp()}.json`]) {
    const moved = await link(join(dir, name), join(dir, aside)).then(
      () => true,
      (cause: NodeJS.ErrnoException) => {
        if (cause.code === 'EEXIST') return false;
        // Gone meanwhile (another run in the folder set it aside): nothing left to set aside.
        if (cause.code === 'ENOENT') return true;
        // A file system without hard links: a rename, to a name no file has (checked just before).
        if (cause.code === 'EPERM' || cause.code === 'ENOTSUP' || cause.code === 'ENOSYS') {
          return lstat(join(dir, aside)).then(() => false, () => rename(join(dir, name), join(dir, aside)).then(() => true));
        }
        throw new HarnessError('HARNESS_USAGE', `--report-dir ${dir}: cannot move the earlier run's matrix.json aside (${cause.message}); pick a folder you can write to. Nothing was sent.`, { cause });
      },
    );
    if (moved) {
      await rm(join(dir, name), { force: true });
      return;
    }
  }
}

/**
 * Once a run starts it writes its own matrix.json: the copies set aside by runs that stopped before it go, as the
 * earlier run's matrix.json always went (only the harness's own files, of the names it gives them; `keep`, a
 * --baseline among them, stays). A report folder is one run's at a time: a run getting ready beside it loses its copy.
 */
export async function dropEarlierMatrices(dir: string, keep: readonly string[] = []): Promise<void> {
  const kept = new Set(await Promise.all(keep.map(realPath)));
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!ASIDE_NAME.test(name)) continue;
    const file = join(dir, name);
    if (kept.has(await realPath(file))) continue;
    if (await isOwnReport(file, 'matrix.json')) await rm(file, { force: true });
  }
}

/** The refusals made on purpose after the read that leave the report folder as it was (keepingEarlier). */
const KEEPING = new WeakSet<object>();

/**
 * Marks `error` (thrown by readThenRemoveEarlier's `read`) as a refusal that removes nothing: `report` declining to
 * write its input again where it lies (a link repointed during the read, fields it would lose) refuses the write, not
 * the input, and the renderings beside it are that input's own; a CI step re-rendering an artifact keeps them.
 */
export function keepingEarlier<E extends object>(error: E): E {
  KEEPING.add(error);
  return error;
}

/**
 * `read` (the command's input files, `inputs`), then the earlier reports of `dir` removed, as a run removes them: a
 * `report` or `merge` that stops on a bad input must not leave another run's green junit.xml to read as its verdict,
 * nor lose its matrix.json (a typo'd input path of `report reports/matrx.json` is next to it): then only the
 * renderings go, unless the refusal is one keepingEarlier marked (nothing goes). An input is never removed (`report
 * reports/matrix.json` renders it where it lies). When the read failed, its error is the one said, whatever the
 * removal met.
 */
export async function readThenRemoveEarlier<T>(dir: string, inputs: readonly string[], read: () => Promise<T>): Promise<T> {
  const [value, removeEarlier] = await readBeforeRemovingEarlier(dir, inputs, read);
  await removeEarlier();
  return value;
}

/**
 * As readThenRemoveEarlier, but a read that succeeds removes nothing yet: the caller removes the earlier reports
 * (the function returned) once nothing can refuse any more, just before its own are renamed into place.
 */
export async function readBeforeRemovingEarlier<T>(dir: string, inputs: readonly string[], read: () => Promise<T>): Promise<[T, () => Promise<void>]> {
  try {
    return [await read(), () => removeEarlierReports(dir, inputs)];
  } catch (error) {
    if (!(error instanceof Object && KEEPING.has(error))) await removeEarlierReports(dir, inputs, 'renderings').catch(() => undefined);
    throw error;
  }
}

/** The path with its links resolved, or as given when it does not exist. */
async function realPath(file: string): Promise<string> {
  return realpath(file).catch(() => resolve(file));
}

/** The first 4 KiB of a regular file, as readRegularFile reads it: how an own file is known by how it starts. */
export const readHead = (file: string): Promise<string | undefined> => readRegularFile(file, { head: 4096 });
