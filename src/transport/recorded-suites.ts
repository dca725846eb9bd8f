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
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { shownPath } from '../shown-path.ts';

/** `provenance.suites` of a recording made from the suites bundled with the harness (`<package>/suites`). */
export const BUNDLED_SUITES = 'mantle-conformance:suites';

/** A folder's real path, links resolved; for a folder not made yet (a first record run's root), its nearest parent's. */
async function realFolder(dir: string): Promise<string> {
  const path = resolve(dir);
  const real = await realpath(path).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = dirname(path);
  return parent === path ? path : join(await realFolder(parent), basename(path));
}

/**
 * How a recording names the suites folder `suitesDir` it was made from, in the fixtures root `fixturesDir`; `root`
 * is the package's. Undefined when no path from the root reaches it (another drive on Windows): an absolute path
 * would carry a machine's folder names into a shared recording, and naming none keeps every such recording.
 */
export async function suitesLabel(suitesDir: string, fixturesDir: string, root: string): Promise<string | undefined> {
  const suites = await realFolder(suitesDir);
  if (suites === (await realFolder(join(root, 'suites')))) return BUNDLED_SUITES;
  const path = relative(await realFolder(fixturesDir), suites);
  if (isAbsolute(path)) return undefined;
  const posix = path.split(sep).join('/');
  // Always `.`-led: no folder path reads as BUNDLED_SUITES.
  return posix === '' ? '.' : posix === '..' || posix.startsWith('../') ? posix : `./${posix}`;
}

/** The suites folder a label names, as the console shows it (a --suites value that prunes those recordings). */
export function labelledFolder(label: string, fixturesDir: string, root: string): string {
  return shownPath(label === BUNDLED_SUITES ? join(root, 'suites') : resolve(fixturesDir, ...label.split('/')));
}

/** The `provenance.suites` of the recording in `file`; undefined when it names none (or cannot be read). */
export async function recordedSuites(file: string): Promise<string | undefined> {
  try {
    const suites = (JSON.parse(await readFile(file, 'utf8')) as { provenance?: { suites?: unknown } } | null)?.provenance?.suites;
    return typeof suites === 'string' && suites !== '' ? suites : undefined;
  } catch {
    return undefined;
  }
}
