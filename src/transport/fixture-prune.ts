/**
 * @module transport/fixture-prune
 * Fixtures stay true: the recordings of cases the suites no longer have are removed (a case renamed or deleted
 * leaves a file no replay ever reads, and a reader of the folder takes it for evidence). Only what the harness
 * made is removed: a regular file `<case>.json` in a model's folder that reads and validates as a fixture of that
 * model and case (the rule `fixtures` uses too: fixture-file's isHarnessFixture), whose name is no case of the
 * suites, and whose provenance names the suites folder these cases come from (recorded-suites.ts): one fixtures root
 * may hold the recordings of several --suites folders, and another folder's case is not one these suites dropped.
 * A recording of another folder is kept and named with it; one that names no folder (an earlier version's, or a
 * suites folder's too far from the fixtures root to be named) is kept and named too: nothing says it is stale. Anything else there (notes, links, folders, files that are
 * not fixtures, copies of one) is named and kept; a model folder that is a link is named as kept and never followed.
 */
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { folderName } from '../names.ts';
import { isHarnessFixture, newerFixture } from './fixture-file.ts';
import { recordedSuites } from './recorded-suites.ts';

export interface PruneResult {
  /** Fixture files of cases the suites no longer have: removed, or with `dryRun` the ones that would be. */
  removed: string[];
  /** Files in the model folders that are neither a case's fixture nor one the harness made: kept. */
  foreign: string[];
  /** Model folders (or other entries of the target folder) that are symbolic links: kept, never followed. */
  linked: string[];
  /** Recordings this version cannot read, for what a newer one may have written (its suites may have those cases): kept, and said so. */
  newer?: string[];
  /** Recordings of cases these suites lack that name another suites folder (`suites`, as provenance says it): kept. */
  otherSuites?: { file: string; suites: string }[];
  /** Recordings of cases these suites lack that name no suites folder (an earlier version's, or a far folder's): kept. */
  unnamed?: string[];
}

/**
 * Removes the stale recordings of one target under `root`: in the folders of `models` (every model folder when
 * not given), the fixtures whose case is not in `cases`. A target or model folder that does not exist is nothing
 * to prune. `suites`: how a recording names the folder `cases` come from (recorded-suites.ts suitesLabel; undefined
 * when none can: then nothing is removed). `encodedTarget`: `target` is the folder's name on disk already (as
 * listed), not a target id.
 */
export async function pruneFixtures(root: string, target: string, cases: Iterable<string>, options: { suites: string | undefined; models?: readonly string[]; dryRun?: boolean; encodedTarget?: boolean }): Promise<PruneResult> {
  const result: PruneResult = { removed: [], foreign: [], linked: [] };
  const targetDir = join(root, options.encodedTarget ? target : folderName(target));
  const live = new Set([...cases].map((id) => `${folderName(id)}.json`));
  const folders = options.models
    ? options.models.map(folderName)
    : (await readdir(targetDir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
  for (const folder of [...new Set(folders)].sort()) {
    const dir = join(targetDir, folder);
    if ((await lstat(dir).catch(() => undefined))?.isSymbolicLink()) {
      result.linked.push(dir);
      continue;
    }
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (live.has(entry.name)) continue;
      const path = join(dir, entry.name);
      // A temp file of a write in progress (or one a crash left) is the atomic writer's, not ours to judge.
      if (entry.name.startsWith('.')) continue;
      if (entry.name.endsWith('.json') && (await lstat(path).catch(() => undefined))?.isFile() && (await newerFixture(path))) {
        (result.newer ??= []).push(path);
        continue;
      }
      if (!entry.name.endsWith('.json') || !(await isHarnessFixture(path, targetDir))) {
        result.foreign.push(path);
        continue;
      }
      const suites = await recordedSuites(path);
      if (suites === undefined) {
        (result.unnamed ??= []).push(path);
        continue;
      }
      // A label of other text is another folder's, and a far --suites (no label) owns nothing here. The same text is
      // taken as this folder's: a project sharing this fixtures folder by a mount or a copy, its suites placed alike,
      // writes it too (suitesLabel), which the README names as a limit.
      if (suites !== options.suites) {
        (result.otherSuites ??= []).push({ file: path, suites });
        continue;
      }
      if (!options.dryRun) await unlink(path);
      result.removed.push(path);
    }
  }
  return result;
}

