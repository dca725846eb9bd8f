/**
 * @module transport/recorded-surface
 * Which surface (and target) a target folder's recordings were made for: replay judges a folder as one surface's, so
 * a record run refuses to write one surface's recordings into a folder of another's, a replay refuses a folder whose
 * model folders disagree on it, and a replayed fixture that names another is no recording of this target.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { folderName } from '../names.ts';
import { shownPath } from '../shown-path.ts';
import { isSurface, type Surface } from '../surfaces.ts';
import { fixtureJson, jsonFilesIn, modelFolders, type FixtureProvenance } from './fixture-file.ts';

/** What a fixture's provenance says it was recorded for: each field only when it is one (a hand edit may say anything). */
export interface RecordedFor {
  surface?: Surface;
  site?: string;
  target?: string;
}

/** What `file`'s provenance says it was recorded for; undefined when it is no JSON or unreadable. */
async function recordedFor(file: string): Promise<RecordedFor | undefined> {
  try {
    const provenance = (fixtureJson(await readFile(file, 'utf8')) as { provenance?: Record<string, unknown> } | null)?.provenance;
    return provenanceSays(provenance ?? {});
  } catch {
    return undefined;
  }
}

function provenanceSays(provenance: Partial<Record<keyof FixtureProvenance, unknown>>): RecordedFor {
  const { surface, site, target } = provenance;
  return {
    ...(typeof surface === 'string' && isSurface(surface) ? { surface } : {}),
    ...(typeof site === 'string' ? { site } : {}),
    ...(typeof target === 'string' ? { target } : {}),
  };
}

/**
 * A fixture in `target`'s folder recorded on another surface than `surface`, or undefined. The first fixture of each
 * model folder is read (a record run writes all of a model's cases on its surface); links are not followed, and a
 * recording that names no surface (made before surfaces) fits any.
 */
export async function otherSurfaceIn(root: string, target: string, surface: Surface): Promise<{ file: string; surface: Surface } | undefined> {
  for (const model of await modelFolders(root, target)) {
    // The first file that names a surface says the folder's: a note or a broken file before it names none.
    for (const file of await jsonFilesIn(model)) {
      const recorded = (await recordedFor(file))?.surface;
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

/** `on runtime for target "runtime.emulator"`: what a recording says it was made for. */
function madeFor(said: RecordedFor): string {
  return `${said.surface ? `on ${said.surface} ` : ''}for target ${JSON.stringify((said.target ?? '?').slice(0, 80))}`;
}

/** The fix for a recording of another target found in this one's folder: back to the folder its provenance names. */
function moveBack(root: string, said: RecordedFor, what: string): string {
  const home = said.target ? ` (${shownPath(join(root, folderName(said.target)))})` : '';
  return `Move ${what} back to the folder of the target it was recorded for${home}, or record it again with --mode record`;
}

/** The surface and site `target`'s recordings name (`recordedIdentity`); undefined when they name no surface. */
export async function recordedSurface(root: string, target: string): Promise<{ surface: Surface; site?: string } | undefined> {
  const { surface, site } = await recordedIdentity(root, target);
  return surface ? { surface, ...(site !== undefined ? { site } : {}) } : undefined;
}

/**
 * What `target`'s recordings say they were made for, from the first fixture of every model folder (what record
 * writes into a folder is all one surface's: record-target.ts); `{}` for a folder with no readable fixture, or one
 * recorded before surfaces (no surface). Model folders that disagree (a model folder or a fixture copied in from
 * another target's) are refused, HARNESS_USAGE naming the odd file: one such file decided the surface every cell of
 * the target was judged as, and blamed the endpoint for the other surface's answers. A fixture that disagrees further
 * down a folder is found as it is replayed (`otherRecording`); each folder's first file is read again then, no more.
 */
export async function recordedIdentity(root: string, target: string): Promise<RecordedFor> {
  const firsts = await Promise.all((await modelFolders(root, target)).map(async (model) => (await jsonFilesIn(model))[0]));
  const said = (await Promise.all(firsts.filter((f): f is string => f !== undefined).map(async (file) => ({ file, ...(await recordedFor(file)) })))).filter((s) => s.target !== undefined || s.surface !== undefined);
  for (const key of ['surface', 'target'] as const) {
    const groups = new Map<string, (RecordedFor & { file: string })[]>();
    for (const s of said) if (s[key] !== undefined) groups.set(s[key], [...(groups.get(s[key]) ?? []), s]);
    if (groups.size < 2) continue;
    const [most, next, ...rest] = [...groups.values()].sort((a, b) => b.length - a.length);
    const where = `the recordings of target ${target} (${shownPath(join(root, folderName(target)))}) are not all of one ${key}`;
    const why = 'replay judges a target\'s recordings as those of one surface and target, and nothing was run';
    if (most!.length === next!.length) {
      const each = [most!, next!, ...rest].map((g) => `${shownPath(g[0]!.file)} was recorded ${madeFor(g[0]!)} (as were ${g.length - 1} other model folder(s))`);
      throw new HarnessError('HARNESS_USAGE', `${where}: ${each.join('; ')}: ${why}. Move each model folder to the folder of the target it was recorded for, or record the odd ones again with --mode record`);
    }
    const odd = [next!, ...rest].flat();
    const others = odd.length > 1 ? ` (and ${odd.length - 1} more model folder(s) like it: ${odd.slice(1, 4).map((s) => shownPath(s.file)).join(', ')}${odd.length > 4 ? ', ...' : ''})` : '';
    throw new HarnessError(
      'HARNESS_USAGE',
      `${where}: ${shownPath(odd[0]!.file)} was recorded ${madeFor(odd[0]!)}${others}, the first recordings of ${most!.length} other model folder(s) ${madeFor(most![0]!)} (${shownPath(most![0]!.file)}): ${why}. ${moveBack(root, odd[0]!, 'it (its whole model folder, if that was moved in)')}`,
    );
  }
  // Agreed: the surface and target every fixture that names one says, and the site of the first that names one.
  const surface = said.find((s) => s.surface)?.surface;
  const site = said.find((s) => s.site !== undefined)?.site;
  const recordedTarget = said.find((s) => s.target !== undefined)?.target;
  return { ...(surface ? { surface } : {}), ...(site !== undefined ? { site } : {}), ...(recordedTarget !== undefined ? { target: recordedTarget } : {}) };
}

/**
 * Why a fixture replayed for `target` is no recording of it, or undefined: its provenance names another surface than
 * the one the target is replayed as, or another target than the one its folder's recordings name (`recorded`, from
 * `recordedIdentity`; a recording made before surfaces fits any surface).
 */
export function otherRecording(file: string, provenance: FixtureProvenance, target: { id: string; surface?: Surface; recorded?: string }, root: string): string | undefined {
  const said = provenanceSays(provenance);
  const surface = said.surface !== undefined && target.surface !== undefined && said.surface !== target.surface;
  const other = target.recorded !== undefined && said.target !== target.recorded;
  if (!surface && !other) return undefined;
  const theirs = [...(target.surface ? [`on ${target.surface}`] : []), ...(target.recorded !== undefined ? [`for target ${JSON.stringify(target.recorded.slice(0, 80))}`] : [])].join(' ');
  return `${shownPath(file)} was recorded ${madeFor(said)}, not as target ${target.id}'s recordings (${theirs}): judged as theirs, the endpoint is blamed for another target's answers. ${moveBack(root, said, 'it')}`;
}
