/**
 * @module history/replay-series
 * A target's runs that replayed recordings (`run --mode replay --history DIR`, a PR job next to a nightly live run
 * into the same folder) observed the recordings, not the endpoint today: compared with the live runs they would read
 * as the endpoint changing on the replay's date (change points, shape drift, latency against recordings). So they
 * are a series of their own, never compared with live or record runs: the builder files a replayed target's cells,
 * latency and shapes under an internal id (`target` + MARK) as they are merged, and names it when the report is
 * built: `target (replay)` beside live runs of the target, the target's own id in a folder of only replayed runs of
 * it (tests and demos). The reports label each replay series.
 */
import type { HistoryRun } from '../suite/history-schema.ts';

const MARK = '\u0000replay';
/** What a replay series' id ends with beside live runs of its target. */
export const REPLAY_SUFFIX = ' (replay)';

/** The internal id of a target's replay series, until the report names it. */
export const replayId = (target: string): string => `${target}${MARK}`;

/** A cell key's target part renamed by `name` (a key is `target/model`). */
export function renameCellKey(cellKey: string, name: (target: string) => string): string {
  const slash = cellKey.indexOf('/');
  return slash === -1 ? name(cellKey) : `${name(cellKey.slice(0, slash))}${cellKey.slice(slash)}`;
}

/** A run file's targets and gate with each replayed target's id as `name` says (its problems name the target too). */
export function renameTargets(part: { targets: HistoryRun['targets']; run: HistoryRun['run'] }, name: (target: string) => string): { targets: HistoryRun['targets']; run: HistoryRun['run'] } {
  const gate = part.run.gate && { ...part.run.gate, problems: part.run.gate.problems.map((p) => (p.target === undefined ? p : { ...p, target: name(p.target) })) };
  return { targets: part.targets.map((t) => ({ ...t, id: name(t.id) })), run: gate ? { ...part.run, gate } : part.run };
}

/**
 * The names of the replay series once every run is in: `target (replay)` when some run observed the target live (or
 * recorded it), else the target's id. `replay`: the named ids that are replay series (the reports label them).
 */
export function replayNames(targetIds: Iterable<string>): { name: (id: string) => string; replay: Set<string> } {
  const live = new Set([...targetIds].filter((id) => !id.endsWith(MARK)));
  const name = (id: string) => {
    if (!id.endsWith(MARK)) return id;
    const target = id.slice(0, -MARK.length);
    return live.has(target) ? `${target}${REPLAY_SUFFIX}` : target;
  };
  return { name, replay: new Set([...targetIds].filter((id) => id.endsWith(MARK)).map(name)) };
}

/** How the reports label a replay series. */
export const replayWords = (target: string): string =>
  `${target}: replayed recordings (run --mode replay), not the endpoint on those dates; compared only with other replayed runs of it, never with live or record runs`;

/** Files a replayed target's numbers under its replay series: `series` and `key` give a number's twin (or itself). */
export function fileReplayed(digest: { cells: Int32Array; latencyKeys: Int32Array; shapes: Int32Array }, series: (s: number) => number, key: (k: number) => number): void {
  const { cells, latencyKeys, shapes } = digest;
  for (let i = 0; i < cells.length; i += 2) cells[i] = series(cells[i]!);
  for (let i = 0; i < latencyKeys.length; i++) latencyKeys[i] = key(latencyKeys[i]!);
  for (let i = 0; i < shapes.length; i += 2) shapes[i] = key(shapes[i]!);
}
