/**
 * @module transport/recorded-suites
 * Which --suites folder a recording was made from, as its provenance says (`provenance.suites`): the one fact that
 * tells a recording of a case the suites dropped (stale: `fixtures prune` removes it) from a recording of a case of
 * another suites folder recorded into the same fixtures root (kept: it is someone's evidence). The folder is written
 * as a path from the fixtures root, `/`-separated (`../suites-a`, `./my-suites`), so a checkout moved or cloned
 * elsewhere still names the same folder; the suites bundled with the harness are `BUNDLED_SUITES`, wherever the
 * package is installed (an upgrade moves a pnpm store path, not what the suites are). A recording made before this
 * field names no folder: nothing says whose it is, so prune keeps it (fixture-prune.ts).
 */
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { shownPath } from '../shown-path.ts';

/** `provenance.suites` of a recording made from the suites bundled with the harness (`<package>/suites`). */
export const BUNDLED_SUITES = 'mantle-conformance:suites';

/** Whether two folders are one: the same path, or (both existing) the same real folder. */
async function sameFolder(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const [realA, realB] = await Promise.all([realpath(a).catch(() => undefined), realpath(b).catch(() => undefined)]);
  return realA !== undefined && realA === realB;
}

/**
 * How a recording names the suites folder `suitesDir` it was made from, in the fixtures root `fixturesDir` (where the
 * recordings end up, not a folder they are made in first); `root` is the package's. The path is computed from the
 * two paths as given, links not resolved (a fixtures root that is a link to another disk would otherwise name the
 * folders on the way to that disk), and written only when it stays near: the suites folder inside the fixtures
 * root's parent (`./x`, `..`, `../x/y`; at most one `..`). A path that climbs further names the folders above the
 * project (a user's home, a mount), which a recording would carry to every machine and which differ from one
 * checkout to the next; another drive has no path at all. Then undefined: the recording names no folder, and prune
 * keeps it (safe: an unnamed recording is never removed).
 */
export async function suitesLabel(suitesDir: string, fixturesDir: string, root: string): Promise<string | undefined> {
  // The bundled suites are one name wherever the package lies: their real folder is compared, and never written.
  if (await sameFolder(suitesDir, join(root, 'suites'))) return BUNDLED_SUITES;
  const path = relative(resolve(fixturesDir), resolve(suitesDir));
  if (isAbsolute(path)) return undefined;
  const parts = path === '' ? [] : path.split(sep);
  if (parts.filter((part) => part === '..').length > 1) return undefined;
  // Always `.`-led: no folder path reads as BUNDLED_SUITES.
  return parts.length === 0 ? '.' : parts[0] === '..' ? parts.join('/') : `./${parts.join('/')}`;
}

/** The suites folder a label names, as a path from the fixtures root (resolved: for the console and comparisons). */
function folderOfLabel(label: string, fixturesDir: string, root: string): string {
  return label === BUNDLED_SUITES ? join(root, 'suites') : resolve(fixturesDir, ...label.split('/'));
}

/** The suites folder a label names, as the console shows it (a --suites value that prunes those recordings). */
export function labelledFolder(label: string, fixturesDir: string, root: string): string {
  return shownPath(folderOfLabel(label, fixturesDir, root));
}

/**
 * Whether a recording's label `recorded` names the suites folder `suitesDir` (whose own label is `label`): the same
 * label, or a label that leads to the same folder from the fixtures root, as given or with its links resolved (an
 * earlier version computed labels from real paths, and wrote the far ones this one does not write).
 */
export async function namesSuitesFolder(recorded: string, label: string | undefined, suitesDir: string, fixturesDir: string, root: string): Promise<boolean> {
  if (recorded === label) return true;
  if (await sameFolder(folderOfLabel(recorded, fixturesDir, root), suitesDir)) return true;
  const real = await realpath(fixturesDir).catch(() => undefined);
  return real !== undefined && recorded !== BUNDLED_SUITES && (await sameFolder(folderOfLabel(recorded, real, root), suitesDir));
}

/** The `provenance.suites` of a recording's text; undefined when it names none (or is no JSON). */
export function suitesOf(text: string): string | undefined {
  // Most recordings name no folder (every one made before the field): those are not parsed.
  if (!text.includes('"suites"')) return undefined;
  try {
    const suites = (JSON.parse(text) as { provenance?: { suites?: unknown } } | null)?.provenance?.suites;
    return typeof suites === 'string' && suites !== '' ? suites : undefined;
  } catch {
    return undefined;
  }
}

/** The `provenance.suites` of the recording in `file`; undefined when it names none (or cannot be read). */
export async function recordedSuites(file: string): Promise<string | undefined> {
  return suitesOf(await readFile(file, 'utf8').catch(() => ''));
}
