/**
 * @module history/history-model
 * `history.json`: what a history folder says, per (target, model, check) across runs. Statuses are run-length
 * encoded (a cell that never changed is one segment), so a year of nightly runs in three regions stays small; the
 * change points, the flakiness, models appearing and disappearing, latency per (target, model, API) and shape drift
 * are computed once here, and the page, the digest and scripts all read the same file. Changing a field name is a
 * breaking change: bump the format.
 */
import type { CheckStatus, Observed } from '../checks/types.ts';
import type { ShapeDrift } from '../report/shape-drift.ts';

export const HISTORY_FORMAT = 'mantle-conformance.history/1';

export interface HistoryRunInfo {
  /** Position in `runs` (time order); every other field refers to runs by it. */
  index: number;
  id: string;
  startedAt: string;
  /** The run files it was read from (shards of one run id are one run). */
  files: string[];
  targets: string[];
  modes: string[];
  partial: boolean;
  /** A file of the run says it was stopped from outside (Ctrl-C): it holds what it got to. Absent when none does. */
  interrupted?: true;
  /**
   * Per target whose files are all shards (`--shard i/n`): the shards read, and those no file of the run id holds
   * (their cells are `absent`: the run did not finish). Absent for a run not sharded.
   */
  shards?: { target: string; seen: string[]; missing: string[] }[];
  /**
   * Its run id was also used by other runs (started more than 22 hours after a run's first file, or repeating a
   * target or shard a run already held whole: run-info.ts splitReusedId): each use is its own run, and the reports
   * say the id was reused. Absent otherwise.
   */
  reusedId?: true;
  /** The run selected part of the catalog or the checks: a model it did not run is not counted as gone. */
  filtered: boolean;
  harnessVersion: string;
  /** The run's gate verdict and run-level problems (a model with nothing observed, too many errors), when its files recorded them. */
  gate?: { verdict: 'pass' | 'fail' | 'interrupted'; problems: { kind: string; message: string; target?: string; model?: string }[] };
}

/** A cell's state in one run; `absent` when the run covered the target but not this cell. */
export interface CellState {
  status: CheckStatus | 'absent';
  observed: Observed;
  /** A flaky cell's: the values its trials saw (sorted JSON; report/flaky-values.ts), when its file kept them. */
  values?: string;
}

/** Consecutive runs of the target (`from` to `to`, run indexes) in which the cell had one state. */
export interface Segment extends CellState {
  from: number;
  to: number;
  /** How many of the target's runs the segment spans. */
  runs: number;
}

export interface ChangePoint {
  /** The run in which the new state was first seen. */
  run: number;
  /** Its start, `YYYY-MM-DD`. */
  date: string;
  from: CellState;
  to: CellState;
  /** `integer -> exponent`, `fail -> pass`. */
  text: string;
  /** The new state failed its run's gate (a regression the digest never leaves out). Absent otherwise. */
  gating?: true;
  /** The check's definition differs between the two runs (`changed`), or the earlier file does not say (`unknown`). */
  harness?: 'changed' | 'unknown';
  /** The target's id stood for another endpoint in the two runs (`surface "runtime" -> "custom"`): not the endpoint's change. */
  targetChanged?: string;
}

export interface CellHistory {
  target: string;
  model: string;
  check: string;
  group: string;
  api: string | null;
  segments: Segment[];
  /** Runs in which the cell had a result. */
  runs: number;
  /** Of those, runs in which it was flaky (its trials disagreed). */
  flaky: number;
  /** flaky / runs, to two decimals. */
  flakiness: number;
  changes: ChangePoint[];
}

export interface ModelHistory {
  target: string;
  model: string;
  family: string | null;
  /** First and last run in which the model observed something, or null when it never did. */
  firstSeen: number | null;
  lastSeen: number | null;
  /** When it started or stopped answering (absent from an unfiltered run, or nothing observed). */
  events: { run: number; date: string; kind: 'appeared' | 'disappeared' }[];
}

/** One (target, model, API)'s latency percentiles per run, column by column (null where a run measured none). */
export interface LatencySeries {
  target: string;
  model: string;
  api: string;
  runs: number[];
  n: number[];
  headersP50: number[];
  firstTokenP50: (number | null)[];
  firstTokenP95: (number | null)[];
  totalP50: number[];
  totalP95: number[];
}

export interface DriftEvent {
  run: number;
  date: string;
  /** The run compared with: the latest earlier run that made the changed exchange (the earliest of them, when several changed). */
  since: number;
  drift: ShapeDrift;
}

export interface LatencyShift {
  target: string;
  model: string;
  api: string;
  metric: 'firstTokenP95' | 'totalP95' | 'firstTokenP50' | 'totalP50';
  /** Median over the window, and over as many runs before it. */
  before: number;
  after: number;
  ratio: number;
}

/** What changed in each target's last N runs: the digest's content. */
export interface RecentChanges {
  last: number;
  /** Per target, the runs the window covers. */
  windows: { target: string; runs: number[] }[];
  changes: (ChangePoint & { target: string; model: string; check: string })[];
  flaky: { target: string; model: string; check: string; flaky: number; of: number }[];
  models: (ModelHistory['events'][number] & { target: string; model: string })[];
  drift: DriftEvent[];
  latency: LatencyShift[];
  /** The (target, model, API)s measured in the window whose latency was not compared (no comparable run before the window). Absent when none. */
  latencyUncompared?: number;
  /**
   * Cells whose target's latest run errored them, when that error failed its gate or the cell errored in each of its
   * last 2 runs or more (error-cells.ts): an error is no change point, so an outage is named here. `since`: the run
   * its errors began in; `runs`: how many runs in a row (of those that had it) it errored; `lastRun`: the last run
   * that had it, when the target's latest run did not (a filtered run after it).
   */
  errors: { target: string; model: string; check: string; since: number; runs: number; lastRun?: number; gating?: true; observed: Observed }[];
  /**
   * Per target, the cells observed before the window and not in it (window-gaps.ts): `lastSeen`, the latest run that
   * observed one; `unplanned`: of them, those whose model or check no run of the window planned (they left), and
   * `unplannedGating` of those whose last observation failed its gate (absent when 0). Absent when none.
   */
  unobserved?: { target: string; cells: number; checks: number; lastSeen: number; unplanned?: number; unplannedGating?: number }[];
  /** Of those, the cells a run of the window planned whose last observation failed its run's gate: standing as far as anything observed. Absent when none. */
  standing?: { target: string; model: string; check: string; run: number; observed: Observed }[];
  /**
   * The cells whose target's latest run observed them failing its gate (window-gaps.ts), whichever run their change
   * was in: the reports list their last change first and never cut it (recent-changes.ts). Absent when none.
   */
  failingNow?: { target: string; model: string; check: string }[];
  /**
   * The cells a run of the window observed whose latest result is `status` (inconclusive or skipped) since `since`
   * (the first run of that status): no change point, but no longer observed; `last` is their last observed state, in
   * `lastSeen`; `after`, the first result after it when that is earlier than `since` (an error, or the other status).
   * Newest first. Absent when none.
   */
  noLongerObserved?: { target: string; model: string; check: string; since: number; status: 'inconclusive' | 'skipped'; lastSeen: number; last: CellState; after?: { run: number; status: CellState['status'] } }[];
  /** The targets whose window measured no answer shape (`shapes`) or no latency (`latency`). Absent when none. */
  unmeasured?: { target: string; shapes?: true; latency?: true }[];
  /**
   * The targets whose latest run is older than the folder's latest run of their kind (live and record, or replay), and
   * neither of its CI run nor started less than 6 hours before it: not in the latest runs, their state is as of `run`; `days` between it and `latest`. Absent when none (stale-targets.ts).
   */
  stale?: { target: string; run: number; latest: number; days: number; later: number }[];
  /** The cells each target's latest run errored that `errors` leaves out (they do not gate and errored once): a count. */
  otherErrors?: number;
}

export interface HistoryReport {
  format: typeof HISTORY_FORMAT;
  generatedAt: string;
  runs: HistoryRunInfo[];
  /** `replay`: the target's runs replayed recordings (history/replay-series.ts), a series never compared with live runs. */
  targets: { id: string; runs: number[]; replay?: true }[];
  checks: { id: string; group: string; api: string | null }[];
  cells: CellHistory[];
  models: ModelHistory[];
  latency: LatencySeries[];
  drift: DriftEvent[];
  recent: RecentChanges;
}
