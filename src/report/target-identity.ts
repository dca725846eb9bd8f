/**
 * @module report/target-identity
 * Which endpoint a target id stands for, as far as a run's files record it: its surface and its region. Two runs
 * that give one target id to two endpoints (a `--target-name` kept while `--surface` or `--region` changed) measured
 * two things, and what differs between them is not one endpoint's change: `compare` (and `run --baseline`) leaves
 * such a target's cells uncompared, saying so, and `history` labels its change points.
 * Left out: the host. One endpoint has many names (`localhost` and `127.0.0.1`, a PrivateLink name and the public
 * one, a gateway's alias), and a host that changed while the surface and region did not is far more often one of
 * those than another service: setting it apart hid real regressions (nothing compared, "regressed: no"), so it is
 * compared, and noted (hostChangeNotes). Also left out: the mode (a live run compared with the replay of its
 * recordings is one endpoint), a field one side does not know (a history file made before surfaces records none), and
 * `custom` against `mantle`: a custom base URL is routed, signed and judged as Mantle (surfaces.ts), so the emulator
 * tested with `--endpoint` alone is compared with a replay of its Mantle recordings; against `runtime`, whose
 * documented differences it lacks, it is another endpoint.
 */
import { inertLine } from './inert-text.ts';

/** What a matrix's or a history run's target records of its endpoint. */
export interface TargetFields {
  surface?: string | undefined;
  region: string | null;
  endpointHost: string | null;
}

/** One field that differs between the two runs' target of one id (`host`: only in a comparison an older build wrote). */
export interface TargetChange {
  field: 'surface' | 'region' | 'host';
  before: string;
  after: string;
}

/**
 * The host without its port; undefined when not known or not a host (`emulator (loopback)`). The one rule for what a
 * port change leaves the same (merge-targets.ts too): a local server started on a free port moves at every start.
 */
export function hostWithoutPort(host: string | null): string | undefined {
  if (host === null || /\s/.test(host)) return undefined;
  return host.replace(/:\d+$/, '');
}

/** The surface a target is judged as: a custom base URL as Mantle (surfaces.ts). */
const judgedAs = (surface: string) => (surface === 'custom' ? 'mantle' : surface);

/** How the target of one id differs between an earlier run (`a`) and a later one (`b`); empty when it is one endpoint. */
export function targetChanges(a: TargetFields, b: TargetFields): TargetChange[] {
  // A matrix target without a surface is Mantle (a run made before surfaces: callers say so); a history file that does not say is not known.
  const pairs: [TargetChange['field'], string | undefined, string | undefined, (v: string) => string][] = [
    ['surface', a.surface, b.surface, judgedAs],
    ['region', a.region ?? undefined, b.region ?? undefined, String],
  ];
  return pairs.flatMap(([field, before, after, same]) => (before !== undefined && after !== undefined && same(before) !== same(after) ? [{ field, before, after }] : []));
}

/** `surface "runtime" -> "custom"; host "a" -> "b"`: values are run data, quoted as JSON (callers neutralise the line). */
export function describeTargetChanges(changes: readonly TargetChange[]): string {
  return changes.map((c) => `${c.field} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`).join('; ');
}

/** A target id that stands for another endpoint in a comparison's two runs, and how. */
export interface ChangedTarget {
  target: string;
  changes: TargetChange[];
}

/** The part of a comparison (matrix.json's `comparison`) that says which targets it left apart. */
export interface TargetsApart {
  /**
   * Targets whose id stands for another endpoint than in the baseline (surface or region changed): their
   * cells were not compared, and are neither new failures nor fixes. Absent when none.
   */
  changedTargets?: ChangedTarget[];
}

/** Matrix targets of one id in both runs that stand for two endpoints. */
export function changedTargets(before: readonly (TargetFields & { id: string })[], after: readonly (TargetFields & { id: string })[]): ChangedTarget[] {
  const mantle = (t: TargetFields) => ({ ...t, surface: t.surface ?? 'mantle' });
  return after.flatMap((b) => {
    const a = before.find((t) => t.id === b.id);
    const changes = a ? targetChanges(mantle(a), mantle(b)) : [];
    return changes.length ? [{ target: b.id, changes }] : [];
  });
}

/**
 * One line per target left apart (for the console and the reports; ids and values are run data: callers neutralise
 * the line), with how to compare two endpoints on purpose.
 */
export function changedTargetLines(apart: TargetsApart): string[] {
  return (apart.changedTargets ?? []).map(
    (c) => `target ${c.target} is another endpoint than in the baseline (${describeTargetChanges(c.changes)}): its cells were not compared (neither new failures nor fixes); to compare two endpoints on purpose, give each run its own --target-name`,
  );
}

/**
 * One note per target compared across a host change (same surface and region: compared as one endpoint), so a reader
 * who did mean two endpoints sees it, and the way to keep them apart; as the console prints them (compare, report
 * --baseline, run --baseline): inert, bounded lines.
 */
export function hostChangeNotes(before: readonly (TargetFields & { id: string })[], after: readonly (TargetFields & { id: string })[]): string[] {
  const apart = new Set(changedTargets(before, after).map((c) => c.target));
  return after.flatMap((b) => {
    const a = before.find((t) => t.id === b.id);
    const [was, now] = [hostWithoutPort(a?.endpointHost ?? null), hostWithoutPort(b.endpointHost)];
    if (!a || apart.has(b.id) || was === undefined || now === undefined || was === now) return [];
    const note = `note: target ${b.id} was reached at another host than in the baseline (host ${JSON.stringify(was)} -> ${JSON.stringify(now)}); its surface and region are the same, so it was compared as one endpoint (to keep two endpoints apart, give each run its own --target-name)`;
    return [inertLine(note, 2000)];
  });
}
