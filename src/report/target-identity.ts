/**
 * @module report/target-identity
 * Which endpoint a target id stands for, as far as a run's files record it: its surface, its region and its host.
 * Two runs that give one target id to two endpoints (a `--target-name` kept while `--endpoint` or `--surface`
 * changed) measured two things, and what differs between them is not one endpoint's change: `compare` (and
 * `run --baseline`) leaves such a target's cells uncompared, saying so, and `history` labels its change points.
 * Left out: the mode (a live run compared with the replay of its recordings is one endpoint), a field one side does
 * not know (a replay records no host; a recording from the emulator names none), the port (a local server started on
 * a free port moves at every start, and is still the server the target names), and `custom` against `mantle`: a
 * custom base URL is routed, signed and judged as Mantle (surfaces.ts), so the emulator tested with `--endpoint` alone
 * is compared with a replay of its Mantle recordings; against `runtime`, whose documented differences it lacks, it
 * is another endpoint.
 */

/** What a matrix's or a history run's target records of its endpoint. */
export interface TargetFields {
  surface?: string | undefined;
  region: string | null;
  endpointHost: string | null;
}

/** One field that differs between the two runs' target of one id. */
export interface TargetChange {
  field: 'surface' | 'region' | 'host';
  before: string;
  after: string;
}

/** The host without its port; undefined when not known or not a host (`emulator (loopback)`). */
function hostName(host: string | null): string | undefined {
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
    ['host', hostName(a.endpointHost), hostName(b.endpointHost), String],
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
   * Targets whose id stands for another endpoint than in the baseline (surface, region or host changed): their
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
