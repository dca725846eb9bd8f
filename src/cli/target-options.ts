/**
 * @module cli/target-options
 * The targets of a run from `--targets`, or from `--region` / `--endpoint` / `--surface` / `--target-name`: each
 * one a surface (mantle, runtime, custom) of a site (a region, or the name of a local endpoint). Mantle targets keep
 * the plain region or name as their id (as before surfaces), the others are `<surface>.<name>`, so both surfaces of a
 * region sit side by side in one matrix and in their own fixture folders. Every name passes src/names.ts.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { partitionOf } from '../aws-partitions.ts';
import { HarnessError } from '../errors.ts';
import { checkName, folderName, nameFromFolder, nameProblem } from '../names.ts';
import type { TargetConfig } from '../run/run-config.ts';
import { bedrockHostOf, isSurface, ownBedrockHost, siteOfId, SURFACE_RULES, SURFACES, surfaceOfHost, type Surface } from '../surfaces.ts';
import { recordedIdentity, recordedSurface, type RecordedFor } from '../transport/recorded-surface.ts';
import { refuseOlderFolders } from './older-folders.ts';
import { refuseUnrecorded } from './unrecorded-targets.ts';
import type { TargetMode } from '../transport/target.ts';

/** The flags that say where a run goes. */
export interface TargetFlags {
  region?: string;
  endpoint?: string;
  targetName?: string;
  surface?: string;
  targets?: string;
  /** `--auth`: any kind but the default says a live endpoint was meant (a replay's "did you mean --mode live?"). */
  auth?: string;
}

function usage(flag: string, message: string): HarnessError {
  return new HarnessError('HARNESS_USAGE', `${flag}: ${message}`);
}

/** A target name from an endpoint URL: `127.0.0.1_4010`, `gateway.example.com` (IPv6 brackets and colons become `-`). */
export function hostId(url: URL): string {
  const host = url.hostname.replace(/[^A-Za-z0-9.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'endpoint';
  return url.port ? `${host}_${url.port}` : host;
}

/** The id of a site's target on a surface: mantle keeps the site's name, the others are `<surface>.<site>`. */
export function targetIdOf(surface: Surface, site: string): string {
  return surface === 'mantle' ? site : `${surface}.${site}`;
}

/**
 * A target whose id names a surface (`runtime.local`, as `--target-name` or a `--targets mantle:` name gives it) is
 * that surface's: the column, the migration view and the fixtures would say so of another surface's answers.
 * Refused before anything is sent, naming both and the fix.
 */
function refuseOtherSurfaceName(id: string, surface: Surface, flag: string, said: string, fix: (site: string, named: Surface) => string): void {
  const { surface: named, site } = siteOfId(id);
  if (named === undefined || named === surface) return;
  throw usage(flag, `${id} names the ${named} surface, but ${said} ${surface}: ${surface}'s answers would be labelled as ${named}'s. Nothing was sent. ${fix(site, named)}`);
}

/** The fix of a `--target-name` refused by refuseOtherSurfaceName. */
const renamed = (surface: Surface) => (site: string, named: Surface) => `Give --target-name ${targetIdOf(surface, site)} (the ${surface} target of site ${site}), or --surface ${named} if the endpoint is ${named}`;

/**
 * The surface, site, region and id of an `--endpoint` target. Its surface: `--surface`, else a `--target-name`'s
 * `<surface>.` prefix (`runtime.local`), else the host's (ownBedrockHost). Its site: the name's, else `--region`,
 * else the region Bedrock's own host names (ownBedrockHost), so two surfaces' hosts of one region pair in
 * `compare --by surface`. Its id: `--target-name`, else `--region` (on every surface: `us-east-1` for a runtime host
 * too, as runs before surfaces named it; `--target-name runtime.us-east-1` keeps it apart from Mantle's), else the
 * host (hostId), its fixtures' folder.
 */
function endpointTarget(endpoint: URL, region: string | undefined, flag: Surface | undefined, name: string | undefined): Pick<TargetConfig, 'id' | 'surface' | 'site' | 'region'> {
  const own = ownBedrockHost(endpoint.hostname);
  const hostSurface = own?.surface ?? 'custom';
  const surface = flag ?? (name !== undefined ? siteOfId(name).surface : undefined) ?? hostSurface;
  if (name !== undefined && flag !== undefined) refuseOtherSurfaceName(name, flag, '--target-name', '--surface says', renamed(flag));
  if (name !== undefined && flag === undefined && hostSurface !== 'custom') refuseOtherSurfaceName(name, hostSurface, '--target-name', `the host ${endpoint.hostname} is`, renamed(hostSurface));
  // The region, on any surface, as before surfaces: a baseline, recordings or a merge of earlier runs name it so.
  const id = name ?? region ?? hostId(endpoint);
  const site = name !== undefined ? siteOfId(name).site : (region ?? own?.region ?? id);
  return { id, surface, site, region: region ?? null };
}

function surfaceFlag(raw: string | undefined): Surface | undefined {
  if (raw === undefined) return undefined;
  if (!isSurface(raw)) throw usage('--surface', `"${raw}" is not one of ${SURFACES.join(', ')}`);
  return raw;
}

/**
 * A URL as a message may quote it: without its user info and query, where credentials sit (`user:pw@`,
 * `?api-key=`), said to be left out. Cut as text, since it may not parse: up to the last `@` (a password may hold
 * `/` or `?`), then from the first `?` or `#`.
 */
function shownUrl(raw: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(raw)?.[0] ?? '';
  const at = raw.lastIndexOf('@');
  const rest = at >= scheme.length ? raw.slice(at + 1) : raw.slice(scheme.length);
  const cut = rest.search(/[?#]/);
  const left = [...(at >= scheme.length ? ['user info'] : []), ...(cut >= 0 ? ['query'] : [])];
  return `"${scheme}${cut >= 0 ? rest.slice(0, cut) : rest}"${left.length ? ` (its ${left.join(' and ')} left out)` : ''}`;
}

/** A `--targets` entry as a message may quote it: its URL as shownUrl shows one. */
function shownSpec(spec: string): string {
  const eq = spec.indexOf('=');
  return eq < 0 ? shownUrl(spec) : `"${spec.slice(0, eq + 1)}${shownUrl(spec.slice(eq + 1)).slice(1)}`;
}

function endpointUrl(flag: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usage(flag, `${shownUrl(raw)} is not a URL; give a base URL like https://bedrock-mantle.us-east-1.api.aws or http://127.0.0.1:4010`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usage(flag, `${shownUrl(raw)} must be http or https`);
  if (url.username || url.password) throw usage(flag, 'put credentials in the environment, not in the URL');
  return url;
}

const regionOr = (name: string) => (nameProblem(name, 'region') ? null : name);

/** Why a region's host of `surface` is not built: Mantle is known only under `api.aws`; ISO-like names of no partition. */
function noHost(surface: Surface, region: string): string {
  const partition = partitionOf(region);
  if (!partition) return `${region} is in no AWS partition the harness knows, so no ${surface} host is built for it`;
  return `${SURFACE_RULES[surface].title} has no known host in ${region} (${partition.title}, partition ${partition.id}; Mantle's are named under api.aws, in the aws and aws-us-gov partitions only)`;
}

/**
 * A Bedrock host names its region (`bedrock-mantle.us-east-1.api.aws`): a target that says another (--region, or a
 * `--targets` name that is a region) would be run, recorded, labelled and compared as that region while every request
 * went to the host's. Refused before anything is sent, naming both and the URL of the region the target says.
 */
function refuseOtherRegion(url: URL, region: string | null, flag: string, said: string, keep: string): void {
  const host = bedrockHostOf(url.hostname);
  if (!region || !host || host.region === region) return;
  const surface = surfaceOfHost(url.host);
  const there = surface === 'custom' ? null : SURFACE_RULES[surface].baseUrl(region);
  const other = there ? `give ${there}` : `give the URL of an endpoint in ${region}`;
  throw usage(flag, `the URL ${shownUrl(url.toString())} is in ${host.region} (its host says so), but ${said} ${region}: nothing was sent. To run ${host.region}, ${keep}; to run ${region}, ${other}`);
}

/**
 * A `--target-name` that is a region (its site: `runtime.us-west-2` is us-west-2's) is the region a replay labels the
 * target with (replayTarget), so it must be the one the run reaches: the Bedrock host's, or `--region`'s. Refused
 * otherwise, before anything is sent, naming both and the fix; a name that is no region labels nothing.
 */
function refuseOtherRegionName(name: string | undefined, url: URL | undefined, region: string | null): void {
  if (name === undefined) return;
  const named = regionOr(siteOfId(name).site);
  const reached = (url && bedrockHostOf(url.hostname)?.region) ?? region;
  if (!named || !reached || named === reached) return;
  const by = url && bedrockHostOf(url.hostname) ? `the URL ${shownUrl(url.toString())} is in ${reached} (its host says so)` : `--region says ${reached}`;
  throw usage('--target-name', `${name} names region ${named}, but ${by}: the recordings and reports would label ${reached}'s answers as ${named}'s. Nothing was sent. Give --target-name ${name.replace(named, reached)}, or leave --target-name out, or give a name that is no region (--target-name my-${reached})`);
}

/**
 * One `--targets` entry: `surface:region` (the surface's endpoint in that region), `surface:name=URL` (a base URL
 * played as that surface; a region as the name is the region it signs for), or in replay `surface:name`.
 */
function parseTargetSpec(spec: string, mode: TargetMode): TargetConfig {
  const match = /^([a-z]+):([^=]+)(?:=(.+))?$/.exec(spec);
  if (!match) throw usage('--targets', `${shownSpec(spec)} is not surface:region or surface:name=URL (e.g. mantle:us-east-1, runtime:local=http://127.0.0.1:4011)`);
  const [, surfaceText, name, url] = match as unknown as [string, string, string, string | undefined];
  if (!isSurface(surfaceText)) throw usage('--targets', `${shownSpec(spec)}: "${surfaceText}" is not one of ${SURFACES.join(', ')}`);
  const surface = surfaceText;
  checkName(name, 'target name', `--targets ${shownSpec(spec)}`);
  const id = checkName(targetIdOf(surface, name), 'target name', `--targets ${shownSpec(spec)}`);
  // In replay the recordings say which surface a target is (sameSurface refuses the other, naming how they were made).
  if (mode !== 'replay') refuseOtherSurfaceName(id, surface, '--targets', `the entry ${shownSpec(spec)} says`, (site, named) => `Name it ${surface}:${site}${url ? '=URL' : ''} (the ${surface} target of site ${site}), or ${named}:${site}${url ? '=URL' : ''} if the endpoint is ${named}`);
  const region = regionOr(name);
  if (mode === 'replay') return { id, mode, baseUrl: null, region, endpointHost: null, surface, site: name };
  if (url) {
    const endpoint = endpointUrl('--targets', url);
    refuseOtherRegion(endpoint, region, '--targets', `the target ${shownSpec(spec)} is named`, `name the target ${surface}:${bedrockHostOf(endpoint.hostname)?.region}=URL`);
    return { id, mode, baseUrl: endpoint.toString(), region, endpointHost: endpoint.host, surface, site: name };
  }
  const baseUrl = region ? SURFACE_RULES[surface].baseUrl(region) : null;
  if (!baseUrl) {
    const why = !region ? `"${name}" is not a region; give` : surface === 'custom' ? 'a custom target needs a base URL:' : `${noHost(surface, region)}: give its base URL as`;
    throw usage('--targets', `${shownSpec(spec)}: ${why} ${surface}:${name}=URL${region ? '' : ' for a local endpoint'}`);
  }
  return { id, mode, baseUrl, region, endpointHost: new URL(baseUrl).host, surface, site: name };
}

/**
 * `--region` takes region names only, in every mode. In replay a name that is none but is a recorded target (the
 * bundled `emulator`, a `host_port` an --endpoint record run made) is refused with the flag that replays it; so is
 * the target's folder name, what `ls fixtures` shows (`127.0.0.1_5F4010`, src/names.ts folderName), pointed to the
 * target's id, the one name the flags take.
 */
export async function checkRegions(regions: string[], mode: TargetMode, fixturesDir: string): Promise<void> {
  for (const region of regions) {
    const problem = nameProblem(region, 'region');
    if (!problem) continue;
    const recorded = mode === 'replay' ? await recordedTargets(fixturesDir) : [];
    const id = recorded.find((target) => target === region && !nameProblem(region, 'target name')) ?? recorded.find((target) => folderName(target) === region);
    if (id !== undefined) {
      const spelled = asRecorded(id, await recordedSurface(fixturesDir, id));
      const what = id === region ? `${region} is a recorded target` : `${region} is the folder of recorded target ${id}`;
      throw usage('--region', `${problem}; in replay --region picks recorded region folders only, and ${what}: replay it with ${spelled.startsWith('--') ? spelled : `--targets ${spelled}`}`);
    }
    throw usage('--region', problem);
  }
}

export async function resolveTargets(mode: TargetMode, regions: string[], flags: TargetFlags, fixturesDir: string): Promise<TargetConfig[]> {
  // A folder an older version named otherwise is renamed first: a replay that skipped it would lose its recordings.
  if (mode === 'replay') await refuseOlderFolders(fixturesDir, 'all');
  const targets = await targetsOf(mode, regions, flags, fixturesDir);
  if (mode !== 'live') await refuseOlderFolders(fixturesDir, targets.map((t) => t.id));
  return targets;
}

async function targetsOf(mode: TargetMode, regions: string[], flags: TargetFlags, fixturesDir: string): Promise<TargetConfig[]> {
  const surface = surfaceFlag(flags.surface);
  if (flags.targets !== undefined) {
    const clash = (['region', 'endpoint', 'targetName', 'surface'] as const).find((k) => flags[k] !== undefined);
    if (clash) throw usage('--targets', `names every target itself; drop --${clash.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    const specs = flags.targets.split(',').map((s) => s.trim());
    if (specs.every((spec) => !spec)) throw usage('--targets', 'give at least one surface:region');
    // An empty item is a variable that expanded to nothing (`mantle:us-east-1,$RUNTIME_TARGET`): dropped, the target
    // it stood for would never run and nothing would say so (run-options.ts listFlag; the items are quoted as
    // shownSpec quotes them, a URL's query may hold a credential).
    if (specs.includes('')) throw usage('--targets', `an empty item among ${specs.map((spec) => (spec ? shownSpec(spec) : '""')).join(', ')} (a variable that expanded to nothing?); give the targets separated by commas, none of them empty`);
    const targets = specs.map((spec) => parseTargetSpec(spec, mode));
    const ids = new Set<string>();
    for (const t of targets) {
      if (ids.has(t.id)) throw usage('--targets', `target ${t.id} is given twice`);
      ids.add(t.id);
    }
    if (mode === 'replay') {
      const spell = async (id: string) => asRecorded(id, await recordedSurface(fixturesDir, id));
      await refuseUnrecorded(targets.map((t) => t.id), await recordedTargets(fixturesDir), fixturesDir, { flag: '--targets', looksLive: false, spell });
      for (const t of targets) {
        const recorded = await recordedIdentity(fixturesDir, t.id);
        sameSurface(t.id, t.surface, recorded.surface, '--targets', fixturesDir);
        t.recordedFor = recorded;
      }
    }
    return targets;
  }
  const endpoint = flags.endpoint ? endpointUrl('--endpoint', flags.endpoint) : undefined;
  if (endpoint && regions.length > 1) throw usage('--region', 'with --endpoint, give at most one region (the one the endpoint is in)');
  if (flags.targetName !== undefined) checkName(flags.targetName, 'target name', '--target-name');
  if (surface === 'custom' && !endpoint && mode !== 'replay') throw usage('--surface', 'custom is any other base URL: give it with --endpoint URL');
  if (mode === 'replay') {
    if (flags.targetName || endpoint || regions.length) {
      const names = flags.targetName ? [flags.targetName] : endpoint ? [endpointTarget(endpoint, regions[0], surface, undefined).id] : regions;
      const explicit = flags.targetName !== undefined || endpoint !== undefined;
      const ids = names.map((name) => (explicit ? name : targetIdOf(surface ?? 'mantle', name)));
      const flag = flags.targetName !== undefined ? '--target-name' : endpoint ? '--endpoint' : '--region';
      await refuseUnrecorded(ids, await recordedTargets(fixturesDir), fixturesDir, { flag, looksLive: endpoint !== undefined || (flags.auth !== undefined && flags.auth !== 'bearer') });
      return Promise.all(ids.map(async (id) => replayTarget(id, fixturesDir, surface, await recordedIdentity(fixturesDir, id))));
    }
    const ids = await recordedTargets(fixturesDir);
    if (ids.length === 0) throw usage('--fixtures', `no recordings in ${fixturesDir}; record some with --mode record --region R (or --endpoint URL)`);
    // `--surface runtime` alone replays the recordings of that surface (and those that name none, as that surface).
    const recorded = await Promise.all(ids.map((id) => recordedIdentity(fixturesDir, id)));
    if (surface) {
      const kept = ids.flatMap((id, i) => (!recorded[i]!.surface || recorded[i]!.surface === surface ? [{ id, recorded: recorded[i]! }] : []));
      if (kept.length === 0) throw usage('--surface', `no recordings in ${fixturesDir} were made on ${surface}`);
      return kept.map((k) => replayTarget(k.id, fixturesDir, surface, k.recorded));
    }
    return ids.map((id, i) => replayTarget(id, fixturesDir, surface, recorded[i]!));
  }
  if (endpoint) {
    refuseOtherRegion(endpoint, regions[0] ?? null, '--region', '--region says', `drop --region or give --region ${bedrockHostOf(endpoint.hostname)?.region}`);
    refuseOtherRegionName(flags.targetName, endpoint, regions[0] ?? null);
    const target = endpointTarget(endpoint, regions[0], surface, flags.targetName);
    return [{ ...target, mode, baseUrl: endpoint.toString(), endpointHost: endpoint.host }];
  }
  if (regions.length === 0) throw usage('--mode', `${mode} needs a target: --region us-east-1 (Mantle in that region), --targets mantle:us-east-1,runtime:us-east-1 or --endpoint URL (any OpenAI-compatible base URL)`);
  const chosen = surface ?? 'mantle';
  return regions.map((region) => {
    refuseOtherRegionName(flags.targetName, undefined, region);
    if (flags.targetName !== undefined) refuseOtherSurfaceName(flags.targetName, chosen, '--target-name', surface ? '--surface says' : 'without --surface, a --region target is', renamed(chosen));
    const baseUrl = SURFACE_RULES[chosen].baseUrl(region);
    if (!baseUrl) throw usage('--region', `${noHost(chosen, region)}; give its base URL with --endpoint URL --region ${region}`);
    return { id: flags.targetName ?? targetIdOf(chosen, region), mode, baseUrl, region, endpointHost: new URL(baseUrl).host, surface: chosen, site: region };
  });
}

/**
 * A recorded target: its surface from `--surface`, else its fixtures' provenance (`recorded`, recorded-surface.ts
 * recordedIdentity: every model folder's, agreeing, so one fixture copied in from another target's is no label), else
 * its id (`runtime.x`), else mantle.
 */
function replayTarget(id: string, fixturesDir: string, surface: Surface | undefined, recorded: RecordedFor): TargetConfig {
  if (surface) sameSurface(id, surface, recorded.surface, '--surface', fixturesDir);
  const fromId = siteOfId(id);
  const site = recorded.site !== undefined && !nameProblem(recorded.site, 'target name') ? recorded.site : fromId.site;
  return { id, mode: 'replay', baseUrl: null, region: regionOr(site) ?? regionOr(id), endpointHost: null, surface: surface ?? recorded.surface ?? fromId.surface ?? 'mantle', site, recordedFor: recorded };
}

/**
 * A recording that names its surface replays as that surface only: played as the other, the other surface's claims
 * would judge it and the migration view would pair it wrongly. Recordings that name none (older ones) take the flag.
 */
function sameSurface(id: string, surface: Surface, recorded: Surface | undefined, flag: string, fixturesDir: string): void {
  if (!recorded || recorded === surface) return;
  const spelled = asRecorded(id, { surface: recorded });
  throw usage(flag, `the recordings of target ${id} (${join(fixturesDir, folderName(id))}) were made on ${recorded}, not ${surface}; replay them as recorded${flag === '--surface' ? ' (drop --surface)' : ` (${spelled.startsWith('--') ? spelled : `--targets ${spelled}`})`}`);
}

/**
 * A recorded target as `--targets` names it (`runtime:us-east-1`), or `--target-name <id>` where no entry names that
 * folder: `custom:x` is target custom.x, not a target recorded as `x` (what `--endpoint` records).
 */
function asRecorded(id: string, recorded: { surface: Surface } | undefined): string {
  const { surface, site } = siteOfId(id);
  const on = recorded?.surface ?? surface ?? 'mantle';
  return targetIdOf(on, site) === id ? `${on}:${site}` : `--target-name ${id}`;
}

/** Targets recorded under the fixtures root (`fixtures/<target>/<model>/<case>.json`); other folders are not ours. */
export async function recordedTargets(fixturesDir: string): Promise<string[]> {
  const entries = await readdir(fixturesDir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isDirectory()).map((e) => nameFromFolder(e.name));
  return names.filter((n): n is string => n !== undefined && nameProblem(n, 'target name') === undefined).sort();
}
