/**
 * @module transport/recorded-surface
 * Which surface a target folder's recordings were made on: replay labels a folder with one surface, so a record run
 * refuses to write one surface's recordings into a folder of another's.
 */
import type { Surface } from '../surfaces.ts';
import { fixtureSurface, jsonFilesIn, modelFolders } from './fixture-file.ts';

/**
 * A fixture in `target`'s folder recorded on another surface than `surface`, or undefined. Replay labels a folder
 * with one surface (fixture-file's recordedSurface), so one folder must hold one surface's recordings. The first
 * fixture of each model folder is read (a record run writes all of a model's cases on its surface); links are not
 * followed, and a recording that names no surface (made before surfaces) fits any.
 */
export async function otherSurfaceIn(root: string, target: string, surface: Surface): Promise<{ file: string; surface: Surface } | undefined> {
  for (const model of await modelFolders(root, target)) {
    // The first file that names a surface says the folder's: a note or a broken file before it names none.
    for (const file of await jsonFilesIn(model)) {
      const recorded = (await fixtureSurface(file))?.surface;
      if (recorded === undefined) continue;
      if (recorded !== surface) return { file, surface: recorded };
      break;
    }
  }
  return undefined;
}

/** What to say of a fixture `otherSurfaceIn` found, and the fix. */
export function otherSurfaceProblem(target: string, surface: Surface, found: { file: string; surface: Surface }): string {
  return `the fixtures of target ${target} were recorded on ${found.surface} (${found.file}), and this run records ${surface}: replay labels a folder with one surface. Record into another folder with --target-name NAME${surface === 'mantle' ? '' : ` (e.g. --target-name ${surface}.${target})`}, or move the old recordings out of the way`;
}
