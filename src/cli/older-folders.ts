/**
 * @module cli/older-folders
 * Fixture folders an older mantle-conformance named otherwise: before Windows device names and trailing dots were
 * encoded (src/names.ts folderName), target `aux` was recorded in `aux/`, now in `_61ux/`; model `con` in `con/`.
 * Skipped, such a folder's recordings would vanish from a replay (the gate green without them); recorded into, the
 * target would hold two spellings. So a replay or record run that meets one exits 2 before anything runs, naming
 * the folder and the rename: one spelling on disk, and nothing read under a name it was not written for.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { folderName, olderFolderName } from '../names.ts';
import { shownPath } from '../shown-path.ts';

/** Folders of `dir` an older version named, with the name each holds (none when `dir` cannot be listed). */
async function olderIn(dir: string): Promise<{ folder: string; name: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).flatMap((e) => {
    const name = olderFolderName(e.name);
    return name === undefined ? [] : [{ folder: e.name, name }];
  });
}

/**
 * HARNESS_USAGE for the first folder an older version named: among the target folders of the root (every one for
 * `all`, a replay reading them all; else those of `ids`), and among the model folders of `ids`' targets.
 */
export async function refuseOlderFolders(fixturesDir: string, ids: readonly string[] | 'all'): Promise<void> {
  for (const { folder, name } of await olderIn(fixturesDir)) {
    if (ids === 'all' || ids.includes(name)) await refuse(fixturesDir, folder, name, `target ${JSON.stringify(name)}`);
  }
  for (const id of ids === 'all' ? [] : ids) {
    const dir = join(fixturesDir, folderName(id));
    for (const { folder, name } of await olderIn(dir)) await refuse(dir, folder, name, `model ${JSON.stringify(name)} of target ${id}`);
  }
}

async function refuse(parent: string, folder: string, name: string, what: string): Promise<never> {
  const old = shownPath(join(parent, folder));
  const now = shownPath(join(parent, folderName(name)));
  const both = (await stat(join(parent, folderName(name))).catch(() => null))?.isDirectory() ? ` (${now} exists too: move the files of ${old} into it)` : '';
  throw new HarnessError(
    'HARNESS_USAGE',
    `--fixtures: ${old} was written by an older mantle-conformance: rename ${old} to ${now}${both}; this version keeps the recordings of ${what} there (a Windows device name or a trailing dot is encoded)`,
  );
}
