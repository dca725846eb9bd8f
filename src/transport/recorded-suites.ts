/**
 * @module transport/recorded-suites
 * Which --suites folder a recording was made from, as its provenance says (`provenance.suites`): the one fact that
 * tells a recording of a case the suites dropped (stale: `fixtures prune` removes it) from a recording of a case of
 * another suites folder recorded into the same fixtures root (kept: it is someone's evidence). The folder is written
 * as a path from the real fixtures root (links resolved) to the real suites folder, `/`-separated (`../suites-a`,
 * `../../A/suites`, `./my-suites`), so a checkout moved or cloned elsewhere still names the same folder, and two
 * projects that reach one shared fixtures root through their own links name two folders, not one `../suites`; the
 * suites bundled with the harness are `BUNDLED_SUITES`, wherever the package is installed (an upgrade moves a pnpm
 * store path, not what the suites are). A recording made before this field, or from a suites folder too far from the
 * fixtures root to be named (suitesLabel), names no folder: nothing says whose it is, so prune keeps it (fixture-prune.ts).
 */
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { shownPath } from '../shown-path.ts';
import { fixtureJson } from './fixture-file.ts';
import { readRegularFile } from '../regular-file.ts';

/** `provenance.suites` of a recording made from the suites bundled with the harness (`<package>/suites`). */
export const BUNDLED_SUITES = 'mantle-conformance:suites';

/** Folder names a label may carry after its `..`s: more would name the folders above a project (a home, a mount). */
const NEAR = 2;

/**
 * `path` with its links resolved: the real path of its nearest existing ancestor, then the rest as given (a fixtures
 * root a record run is about to make, or a folder since removed, still has the path it will have, or had).
 */
export async function realFolder(path: string): Promise<string> {
  const absolute = resolve(path);
  const real = await realpath(absolute).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(await realFolder(parent), basename(absolute));
}

/**
 * How a recording names the suites folder `suitesDir` it was made from, in the fixtures root `fixturesDir` (where the
 * recordings end up, not a folder they are made in first); `root` is the package's. The path goes from the real
 * fixtures root to the real suites folder: from the paths as given, two projects whose fixtures roots are links to one
 * shared folder would both write `../suites`, and one's record run and prune would take the other's recordings for
 * its own. It is written only when what follows its `..`s is at most two folder names (`../../suites`,
 * `../../A/suites`, `./mine`, `../x/y`): a path that goes down further from where it climbed to names a machine's
 * folders (`../../../home/bob/proj/suites`), which a recording would carry to every machine and which differ from one
 * checkout to the next; another drive has no path at all. Then undefined: the recording names no folder, and prune
 * keeps it (safe: an unnamed recording is never removed). Prune and the record run compare labels as strings. Two
 * labels of one real folder are equal, but equal labels need not be one folder: realpath does not see through a bind
 * mount, a Docker volume, a network share or a copy, so two projects that share one fixtures folder that way and place
 * their suites alike (`../suites` for both) get one label, and each one's prune and record run take the other's
 * recordings for its own (README, Fixtures stay true: give each project its own fixtures root).
 */
export async function suitesLabel(suitesDir: string, fixturesDir: string, root: string): Promise<string | undefined> {
  const [suites, fixtures, bundled] = await Promise.all([realFolder(suitesDir), realFolder(fixturesDir), realFolder(join(root, 'suites'))]);
  // The bundled suites are one name wherever the package lies: their real folder is compared, and never written.
  if (suites === bundled) return BUNDLED_SUITES;
  const path = relative(fixtures, suites);
  if (isAbsolute(path)) return undefined;
  const parts = path === '' ? [] : path.split(sep);
  if (parts.filter((part) => part !== '..').length > NEAR) return undefined;
  // Always `.`-led: no folder path reads as BUNDLED_SUITES.
  return parts.length === 0 ? '.' : parts[0] === '..' ? parts.join('/') : `./${parts.join('/')}`;
}

/**
 * The suites folder a label names, from the real fixtures root `realFixtures` (realFolder: labels are written from
 * it), as an absolute path; `root` is the package's.
 */
export function folderOfLabel(label: string, realFixtures: string, root: string): string {
  return label === BUNDLED_SUITES ? join(root, 'suites') : resolve(realFixtures, ...label.split('/'));
}

/** The suites folder a label names, as the console shows it (a --suites value that prunes those recordings). */
export function labelledFolder(label: string, realFixtures: string, root: string): string {
  return shownPath(folderOfLabel(label, realFixtures, root));
}

/** Whether the folder a label names is there now (not renamed, moved, or another machine's). */
export async function labelledFolderExists(label: string, realFixtures: string, root: string): Promise<boolean> {
  return (await stat(folderOfLabel(label, realFixtures, root)).catch(() => undefined))?.isDirectory() === true;
}

/** The `provenance.suites` of a recording's text; undefined when it names none (or is no JSON). */
function suitesOf(text: string): string | undefined {
  // Most recordings name no folder (every one made before the field): those are not parsed.
  if (!text.includes('"suites"')) return undefined;
  try {
    const suites = (fixtureJson(text) as { provenance?: { suites?: unknown } } | null)?.provenance?.suites;
    return typeof suites === 'string' && suites !== '' ? suites : undefined;
  } catch {
    return undefined;
  }
}

/** The `provenance.suites` of the recording in `file`; undefined when it names none (or cannot be read). */
export async function recordedSuites(file: string): Promise<string | undefined> {
  // A FIFO at a case's path is never waited on (regular-file.ts): it names no folder.
  return suitesOf((await readRegularFile(file, { most: Number.POSITIVE_INFINITY }).catch(() => undefined)) ?? '');
}
