/**
 * @module cli/input-files
 * Where the suites, the catalog and the expectations come from when no flag names them: each on its own, from
 * ./suites when that holds one, else the one bundled with the harness. One rule for every command, so that a
 * project that installed the package and keeps only its expectations in ./suites (what `bless` writes by default)
 * still runs the bundled suites and catalog, and a checkout (./suites is the bundled folder) is unchanged.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { HarnessError, type HarnessErrorCode } from '../errors.ts';
import { shownPath } from '../shown-path.ts';
import { specialKind } from '../regular-file.ts';

export interface InputFlags {
  /** Folder of *.suite.yaml files. @default ./suites when it holds one, else the bundled suites */
  suites?: string;
  /** The model catalog. @default <--suites>/models.yaml; without --suites ./suites/models.yaml when present, else the bundled catalog */
  catalog?: string;
  /** The expectations file, or false for none. @default expectations.yaml of --suites, else of ./suites, else the bundled one, when present */
  expectations?: string | false;
}

export interface InputFiles {
  suitesDir: string;
  catalogFile: string;
  expectationsFile?: string;
}

const SUITE_SUFFIX = '.suite.yaml';
const isFile = async (path: string) => (await stat(path).catch(() => null))?.isFile() ?? false;

/**
 * What a path a flag named is, when it is not a file (or, with `kind` folder, a folder) to read: a FIFO or a folder
 * is not said to be missing, nor is a link that leads nowhere or in a loop (`missing` is true only when nothing is
 * there, the one case a fix is to create it).
 */
export async function whyNotAFile(path: string, kind: 'file' | 'folder' = 'file'): Promise<{ why: string; missing: boolean } | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return { why: `cannot be read (${code ?? (cause as Error).message})`, missing: false };
    const link = await lstat(path).catch(() => null);
    return link?.isSymbolicLink() ? { why: 'is a link to nothing (its target does not exist)', missing: false } : { why: 'does not exist', missing: true };
  }
  if (kind === 'folder') return info.isDirectory() ? undefined : { why: 'is not a folder', missing: false };
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return { why: 'is a folder, not a file', missing: false };
  return { why: `is not a regular file (${specialKind(info)})`, missing: false };
}

/**
 * The one error for a path a flag or argument named that `whyNotAFile` refused: HARNESS_FILE_NOT_FOUND when nothing
 * is there, whichever flag named it (the README's error table: users match on the code), else `code` (a folder, a
 * FIFO, a link to nothing is there, and is not what the flag wants). `named` is the flag, when one named it.
 */
export function notAFileError(named: string | undefined, path: string, not: { why: string; missing: boolean }, fix: string, code: HarnessErrorCode = 'HARNESS_USAGE'): HarnessError {
  return new HarnessError(not.missing ? 'HARNESS_FILE_NOT_FOUND' : code, `${named ? `${named}: ` : ''}${path} ${not.why}; ${fix}`);
}
const holdsSuites = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).some((name) => name.endsWith(SUITE_SUFFIX));

/** The bundled catalog, named by every error about a missing one. */
export function bundledCatalog(root: string): string {
  return join(root, 'suites', 'models.yaml');
}

/** The three inputs, each checked to exist (HARNESS_FILE_NOT_FOUND, else HARNESS_USAGE, naming the flag and the fix). */
export async function resolveInputFiles(flags: InputFlags, root: string): Promise<InputFiles> {
  const { suitesDir, catalogFile } = await resolveSuitesAndCatalog(flags, root);
  const expectationsFile = await resolveExpectationsOf(flags, suitesDir, root, catalogFile);
  return { suitesDir, catalogFile, ...(expectationsFile ? { expectationsFile } : {}) };
}

/** The suites folder and the catalog. */
export async function resolveSuitesAndCatalog(flags: InputFlags, root: string): Promise<Omit<InputFiles, 'expectationsFile'>> {
  const suitesDir = await resolveSuitesDir(flags, root);
  return { suitesDir, catalogFile: await resolveCatalogFile(flags, suitesDir, root) };
}

/** `--suites DIR` (a folder), else ./suites when it holds a suite file, else the bundled suites. */
export async function resolveSuitesDir(flags: InputFlags, root: string): Promise<string> {
  if (flags.suites === undefined) return (await holdsSuites(resolve('suites'))) ? resolve('suites') : join(root, 'suites');
  const suitesDir = resolve(flags.suites);
  const not = await whyNotAFile(suitesDir, 'folder');
  if (not) throw notAFileError('--suites', suitesDir, not, `point --suites at a folder of *${SUITE_SUFFIX} files`);
  return suitesDir;
}

/**
 * `--expectations FILE`, `--no-expectations`, or expectations.yaml when present: of --suites; without it
 * ./suites/expectations.yaml (what `bless` writes there is used even when the suites are the bundled ones), else the
 * bundled one when the catalog is the bundled one (its claims are about the bundled catalog's models). An empty
 * ./suites, or one with only suites, leaves the bundled expectations applied.
 */
export async function resolveExpectationsOf(flags: InputFlags, suitesDir: string, root: string, catalogFile: string): Promise<string | undefined> {
  if (flags.expectations === false) return undefined;
  if (flags.expectations !== undefined || flags.suites !== undefined) return resolveExpectationsFile(flags.expectations, suitesDir);
  const local = resolve('suites', 'expectations.yaml');
  if (await isFile(local)) return local;
  return resolve(catalogFile) === bundledCatalog(root) ? resolveExpectationsFile(undefined, join(root, 'suites')) : undefined;
}

/** `--catalog FILE`, else models.yaml of --suites (an error naming --catalog when it has none), else of ./suites, else the bundled one. */
export async function resolveCatalogFile(flags: InputFlags, suitesDir: string, root: string): Promise<string> {
  if (flags.catalog !== undefined) {
    const file = resolve(flags.catalog);
    const not = await whyNotAFile(file);
    if (not) throw notAFileError('--catalog', file, not, `point --catalog at a model catalog (the bundled one is ${bundledCatalog(root)})`);
    return file;
  }
  if (flags.suites !== undefined) {
    const file = join(suitesDir, 'models.yaml');
    if (!(await isFile(file))) throw new HarnessError('HARNESS_USAGE', `--suites ${shownPath(suitesDir)}: no models.yaml in this folder; give the model catalog with --catalog FILE (the bundled one is ${bundledCatalog(root)})`);
    return file;
  }
  const file = resolve('suites', 'models.yaml');
  return (await isFile(file)) ? file : bundledCatalog(root);
}

/** `--expectations FILE`, or `<dir>/expectations.yaml` when it exists. */
async function resolveExpectationsFile(flag: string | undefined, dir: string): Promise<string | undefined> {
  if (flag === undefined) {
    const file = join(dir, 'expectations.yaml');
    return (await isFile(file)) ? file : undefined;
  }
  const file = resolve(flag);
  const not = await whyNotAFile(file);
  // `bless` creates a missing one; anything else in the way is to be moved, not blessed over.
  if (not) throw notAFileError('--expectations', file, not, not.missing ? 'create it with `mantle-conformance bless` or leave the flag out' : 'point --expectations at an expectations file');
  return file;
}

/**
 * One line saying where each input came from, when --suites is not given and they are not all in one folder
 * (the bundled suites with ./suites/expectations.yaml); undefined otherwise.
 */
export function inputsNote(flags: InputFlags, files: InputFiles, root: string): string | undefined {
  // Only the ./suites-or-bundled rule mixes places; what --suites names holds its own catalog and expectations.
  if (flags.suites !== undefined) return undefined;
  const places = new Set([files.suitesDir, dirname(files.catalogFile), ...(files.expectationsFile ? [dirname(files.expectationsFile)] : [])]);
  if (places.size === 1) return undefined;
  const bundled = join(root, 'suites');
  const where = (path: string, what: string) => (path === bundled || dirname(path) === bundled ? `the bundled ${what} (${shownPath(path)})` : shownPath(path));
  // Reviewed claims in ./suites replace the bundled file's, not add to them: said, since a claim the bundled file made goes.
  const replaced = files.expectationsFile && dirname(files.expectationsFile) !== bundled ? ' (the bundled expectations are not applied)' : '';
  const expectations = files.expectationsFile ? `${where(files.expectationsFile, 'expectations')}${replaced}` : 'none';
  return `note: suites: ${where(files.suitesDir, 'suites')}; catalog: ${where(files.catalogFile, 'catalog')}; expectations: ${expectations}`;
}
