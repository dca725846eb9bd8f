/**
 * @module transport/recorded-surface
 * Which surface (and target) a target folder's recordings were made for: replay judges a folder as one surface's, so
 * a record run refuses to write one surface's recordings into a folder of another's, a replay refuses a folder whose
 * recordings disagree on it, and a replayed fixture that names another is no recording of this target. A target is a
 * surface of a site (the host it was sent to, a Bedrock host's region); its name is no part of it: a folder renamed and
 * recorded into again (`--target-name`) holds one target's recordings under two names.
 */
import { readRegularFile } from '../regular-file.ts';
import { dirname, join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { folderName, nameProblem } from '../names.ts';
import { shownPath } from '../shown-path.ts';
import { bedrockHostOf, isSurface, siteOfId, type Surface } from '../surfaces.ts';
import { isLoopbackHostname } from './proxy.ts';
import { fixtureJson, jsonFilesIn, modelFolders, type FixtureProvenance } from './fixture-file.ts';

/** What a fixture's provenance says it was recorded for: each field only when it is one (a hand edit may say anything). */
export interface RecordedFor {
  surface?: Surface;
  site?: string;
  target?: string;
  /**
   * The region it names: its Bedrock host's (or provenance.region beside one); a recording that names no host, a
   * region-shaped region, site or target name. None for another host: a gateway signing for a region (`--region`
   * beside `--endpoint`) or recorded as `--target-name us-west-2` is no recording of that region's Bedrock.
   */
  region?: string;
  /** The host it was sent to, without the port (a local server's changes), every loopback name as `loopback`. */
  host?: string;
}

/** What `file`'s provenance says it was recorded for; undefined when it is no JSON or unreadable. */
async function recordedFor(file: string): Promise<RecordedFor | undefined> {
  try {
    const text = await readRegularFile(file, { most: Number.POSITIVE_INFINITY });
    if (text === undefined) return undefined;
    const provenance = (fixtureJson(text) as { provenance?: Record<string, unknown> } | null)?.provenance;
    return provenanceSays(provenance ?? {});
  } catch {
    return undefined;
  }
}

const LOOPBACK = 'loopback';

/** `endpointHost` without its port, loopback names (and the emulator's `emulator (loopback)`) as one; undefined when no host. */
function hostOf(endpointHost: string): string | undefined {
  if (endpointHost === 'emulator (loopback)') return LOOPBACK;
  try {
    const host = new URL(`http://${endpointHost}`).hostname;
    return isLoopbackHostname(host) ? LOOPBACK : host.slice(0, 253);
  } catch {
    return undefined;
  }
}

/** What a provenance (a fixture's, or the one a record run writes) says it was recorded for: the one reading of it. */
function provenanceSays(provenance: Partial<Record<keyof FixtureProvenance, unknown>>): RecordedFor {
  const { surface, site, target, region, endpointHost } = provenance;
  const host = typeof endpointHost === 'string' ? hostOf(endpointHost) : undefined;
  const isRegion = (n: unknown): n is string => typeof n === 'string' && !nameProblem(n, 'region');
  const bedrock = host !== undefined ? bedrockHostOf(host)?.region : undefined;
  const named = [region, site, typeof target === 'string' ? siteOfId(target).site : undefined].find(isRegion);
  const regionSaid = host === undefined ? named : bedrock;
  return {
    ...(typeof surface === 'string' && isSurface(surface) ? { surface } : {}),
    ...(typeof site === 'string' ? { site } : {}),
    ...(typeof target === 'string' ? { target } : {}),
    ...(regionSaid !== undefined ? { region: regionSaid } : {}),
    ...(host !== undefined ? { host } : {}),
  };
}

/**
 * Whether two recordings are of different targets: another surface, or another site (both name a host and they
 * differ, two names of one Bedrock region aside (its FIPS or PrivateLink name); else both name a region and they
 * differ). A shared region name never joins two hosts: a gateway signing for us-west-2 is not Bedrock us-west-2. What
 * either leaves out fits any. The target name is not compared: a folder renamed and recorded into again (`emulator`
 * to `mantle-emu`) was called another target's, and the fix named the folder the files were already in.
 */
function otherTarget(a: RecordedFor, b: RecordedFor): boolean {
  if (surfacesDiffer(a, b)) return true;
  const bedrock = (said: RecordedFor) => said.host !== undefined && bedrockHostOf(said.host) !== undefined;
  if (a.host !== undefined && b.host !== undefined && a.host !== b.host && !(bedrock(a) && bedrock(b))) return true;
  return a.region !== undefined && b.region !== undefined && a.region !== b.region;
}

/**
 * The site fields of what a record run of `target` writes in every fixture's provenance: create-target.ts writes
 * them, and run-command checks the folder against them before anything is sent (`otherSurfaceIn`).
 */
export function recordingSite(target: { id: string; endpointHost: string | null; region: string | null; surface: Surface; site: string }, source: 'live' | 'emulator') {
  // The emulator listens on a random port each time; its port would only add noise to every fixture diff.
  return { target: target.id, endpointHost: source === 'emulator' ? 'emulator (loopback)' : target.endpointHost, region: target.region, surface: target.surface, site: target.site };
}

/** What a record run found in its target's folder: a fixture of another target (`otherSurfaceIn`), and what each says. */
export interface OtherRecorded {
  file: string;
  said: RecordedFor;
  mine: RecordedFor;
}

/**
 * A fixture in `target`'s folder recorded for another target than the run's `provenance` says (another surface or
 * site, as replay judges them: `otherTarget`), or undefined: replay would refuse the folder the run leaves. The first
 * fixture of each model folder is read (a record run writes all of a model's cases at one surface and site); links
 * are not followed, and a recording that leaves one out (made before surfaces) fits any.
 */
export async function otherSurfaceIn(root: string, target: string, provenance: Partial<FixtureProvenance>): Promise<OtherRecorded | undefined> {
  const mine = provenanceSays(provenance);
  for (const model of await modelFolders(root, target)) {
    // The first file that names a surface or target says the folder's: a note or a broken file before it names none.
    for (const file of await jsonFilesIn(model)) {
      const said = await saidIn(file);
      if (said === undefined) continue;
      if (otherTarget(said, mine)) return { file, said, mine };
      break;
    }
  }
  return undefined;
}

/** What to say of a fixture `otherSurfaceIn` found, and the fix. */
export function otherSurfaceProblem(target: string, found: OtherRecorded): string {
  const { file, said, mine } = found;
  const surface = mine.surface;
  if (surface !== undefined && surfacesDiffer(said, mine)) {
    return `the fixtures of target ${target} were recorded on ${said.surface} (${file}), and this run records ${surface}: replay labels a folder with one surface. Record into another folder with --target-name NAME${surface === 'mantle' ? '' : ` (e.g. --target-name ${surface}.${target})`}, or move the old recordings out of the way`;
  }
  return `the fixtures of target ${target} were recorded at ${madeAt(said)} (${file}), and this run records at ${madeAt(mine)}: replay judges a folder's recordings as one site's, and would refuse this one. Record each host into a folder of its own with --target-name NAME, or record through the host the folder was recorded at, or move the old recordings out of the way`;
}

/** `on runtime for target "runtime.emulator"`: what a recording says it was made for. */
function madeFor(said: RecordedFor): string {
  return `${said.surface ? `on ${said.surface} ` : ''}for target ${JSON.stringify((said.target ?? '?').slice(0, 80))}`;
}

/** `region us-west-2, host bedrock-mantle.us-west-2.api.aws`: where a recording says it was made. */
function madeAt(said: RecordedFor): string {
  return [said.region ? `region ${said.region}` : '', said.host ? `host ${said.host}` : ''].filter(Boolean).join(', ') || 'no site';
}

function surfacesDiffer(a: RecordedFor, b: RecordedFor): boolean {
  return a.surface !== undefined && b.surface !== undefined && a.surface !== b.surface;
}

/** Where two recordings of one surface differ (their site), for a message; '' when the surfaces differ. */
function sitesOf(odd: RecordedFor, theirs: RecordedFor, they: string): string {
  return surfacesDiffer(odd, theirs) ? '' : ` (it names ${madeAt(odd)}; ${they} ${madeAt(theirs)})`;
}

/**
 * The fix for a recording of another target found in `target`'s folder: back to the folder its provenance names,
 * never the one it is in. One recorded for this folder's name at another site (the same --target-name through another
 * host) has no folder to go back to, and recording it again the same way writes the same host: it needs its own.
 */
function moveBack(root: string, target: string, said: RecordedFor, theirs: RecordedFor, what: string): string {
  const home = said.target && folderName(said.target) !== folderName(target) ? ` (${shownPath(join(root, folderName(said.target)))})` : '';
  if (!home && said.target !== undefined && !surfacesDiffer(said, theirs)) return `Move ${what} to a folder of its own (${PER_HOST}), or record it again through the host the others were recorded at`;
  return `Move ${what} ${home ? 'back ' : 'out of this folder '}to the folder of the target it was recorded for${home}, or record it again with --mode record`;
}

/** The fix for one target name recorded through two hosts. */
const PER_HOST = 'one folder per host: replay or record each as its own target with --target-name NAME';

/** The surface and site `target`'s recordings name (`recordedIdentity`); undefined when they name no surface. */
export async function recordedSurface(root: string, target: string): Promise<{ surface: Surface; site?: string } | undefined> {
  const { surface, site } = await recordedIdentity(root, target);
  return surface ? { surface, ...(site !== undefined ? { site } : {}) } : undefined;
}

/** How many more files of a model folder are read when its first disagrees: a handful, spread over the folder. */
const MORE = 4;

type Said = RecordedFor & { file: string };

/** What `file` says, when it names a surface or a target (a note or a broken file says nothing). */
async function saidIn(file: string): Promise<Said | undefined> {
  const said = await recordedFor(file);
  return said && (said.surface !== undefined || said.target !== undefined) ? { file, ...said } : undefined;
}

/** Up to `count` of `files` after the first, spread over them (files copied in together sort together). */
function spread(files: string[], count: number): string[] {
  const rest = files.slice(1);
  if (rest.length <= count) return rest;
  return Array.from({ length: count }, (_, i) => rest[Math.floor(((i + 0.5) * rest.length) / count)]!);
}

/**
 * What `target`'s recordings say they were made for, by agreement; `{}` for a folder with no readable fixture.
 * The first fixture of every model folder is read (what record writes into a folder is all one surface's and
 * site's: record-target.ts); a model folder whose first names another target than the folder's name, or disagrees
 * with another's, has a handful more read, so that one copied fixture that sorts first (in a one-model folder too) is
 * outvoted, not taken as the label. Recordings that name the folder's own name decide; else all read. Recordings that
 * disagree with what was decided are refused, HARNESS_USAGE naming the odd file: one such file decided the surface
 * every cell of the target was judged as, and blamed the endpoint for the other surface's answers. One that disagrees
 * further down a folder is found as it is replayed (`otherRecording`).
 */
export async function recordedIdentity(root: string, target: string): Promise<RecordedFor> {
  const folders = await Promise.all((await modelFolders(root, target)).map((model) => jsonFilesIn(model)));
  const firsts = await Promise.all(folders.map((files) => (files[0] === undefined ? undefined : saidIn(files[0]))));
  const known = firsts.filter((s): s is Said => s !== undefined);
  const read = await Promise.all(
    firsts.map(async (first, i) => {
      if (!first) return [];
      if (first.target === target && !known.some((other) => otherTarget(other, first))) return [first];
      const more = await Promise.all(spread(folders[i]!, MORE).map(saidIn));
      return [first, ...more.filter((s): s is Said => s !== undefined)];
    }),
  );
  return agreed(root, target, read.flat());
}

/** The recording most of `said` agree with, preferring those that name the folder's own name; refused when not all agree. */
function agreed(root: string, target: string, said: Said[]): RecordedFor {
  if (said.length === 0) return {};
  const named = said.filter((s) => s.target === target);
  const pool = named.length > 0 ? named : said;
  const votes = pool.map((s) => pool.filter((other) => !otherTarget(s, other)).length);
  const most = Math.max(...votes);
  const leaders = pool.filter((_, i) => votes[i] === most);
  const where = `the recordings of target ${target} (${shownPath(join(root, folderName(target)))}) are not all of one target (surface and site)`;
  const why = 'replay judges a target\'s recordings as those of one surface and site, and nothing was run';
  if (leaders.some((s) => otherTarget(s, leaders[0]!))) {
    const groups = leaders.filter((s, i) => !leaders.slice(0, i).some((earlier) => !otherTarget(earlier, s)));
    const each = groups.map((g) => `${shownPath(g.file)} was recorded ${madeFor(g)}${sitesOf(g, groups[0] === g ? groups[1]! : groups[0]!, 'the other names')} (as were ${most - 1} other recording(s) read)`);
    // Recorded under one name through two hosts, there is no folder of the target each was recorded for to go back to.
    const fix = groups.every((g) => g.target === groups[0]!.target && !surfacesDiffer(g, groups[0]!)) ? `Move one host's model folders to a folder of their own (${PER_HOST})` : 'Move each model folder to the folder of the target it was recorded for, or record the odd ones again with --mode record';
    throw new HarnessError('HARNESS_USAGE', `${where}: ${each.join('; ')}: ${why}. ${fix}`);
  }
  const leader = leaders[0]!;
  const agreeing = said.filter((s) => !otherTarget(s, leader));
  // What the leader leaves out, the first recording that agrees with it and names it says.
  const pick = <K extends keyof RecordedFor>(key: K) => leader[key] ?? agreeing.find((s) => s[key] !== undefined)?.[key];
  const identity: RecordedFor = {};
  for (const key of ['surface', 'site', 'target', 'region', 'host'] as const) if (pick(key) !== undefined) Object.assign(identity, { [key]: pick(key) });
  const odd = said.filter((s) => otherTarget(s, identity));
  if (odd.length === 0) return identity;
  const first = odd[0]!;
  const others = odd.length > 1 ? ` (and ${odd.length - 1} more recording(s) like it read in ${new Set(odd.map((s) => dirname(s.file))).size} model folder(s): ${odd.slice(1, 4).map((s) => shownPath(s.file)).join(', ')}${odd.length > 4 ? ', ...' : ''})` : '';
  const agree = said.filter((s) => !otherTarget(s, identity));
  const byName = named.length > 0 ? ` (recorded for the folder's own name)` : '';
  // The fix moves the whole model folder only when all of it that was read is the other target's.
  const whole = said.every((s) => dirname(s.file) !== dirname(first.file) || odd.includes(s));
  throw new HarnessError(
    'HARNESS_USAGE',
    `${where}: ${shownPath(first.file)} was recorded ${madeFor(first)}${sitesOf(first, identity, 'the others name')}${others}, while ${shownPath(leader.file)} was recorded ${madeFor(leader)}${byName}, as were ${agree.length - 1} other recording(s) read in ${new Set(agree.map((s) => dirname(s.file))).size} model folder(s): ${why}. ${moveBack(root, target, first, identity, whole ? 'it (its whole model folder, if that was moved in)' : 'it')}`,
  );
}

/**
 * Why a fixture replayed for `target` is no recording of it, or undefined: its provenance names another surface than
 * the one the target is replayed as, or another site than its folder's recordings (`recorded`, from
 * `recordedIdentity`). Its target name is not compared (a renamed folder's). A recording that leaves one out fits any.
 */
export function otherRecording(file: string, provenance: FixtureProvenance, target: { id: string; surface?: Surface; recorded?: RecordedFor }, root: string): string | undefined {
  const said = provenanceSays(provenance);
  const theirs: RecordedFor = { ...target.recorded, ...(target.surface ? { surface: target.surface } : {}) };
  if (!otherTarget(said, theirs)) return undefined;
  const shown = [...(target.surface ? [`on ${target.surface}`] : []), ...(theirs.target !== undefined ? [`for target ${JSON.stringify(theirs.target.slice(0, 80))}`] : [])].join(' ');
  return `${shownPath(file)} was recorded ${madeFor(said)}, not as target ${target.id}'s recordings (${shown})${sitesOf(said, theirs, 'the folder\'s recordings name')}: judged as theirs, the endpoint is blamed for another target's answers. ${moveBack(root, target.id, said, theirs, 'it')}`;
}
