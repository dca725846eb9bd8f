/**
 * @module history/build-history
 * Runs in, `history.json` out. Run files are added one at a time and kept only as numbers (each (target, model,
 * check) and each distinct state interned once; shapes as interned per-(model, API) signatures), so a year of
 * nightly runs in several regions fits in memory whatever the folder's size. The files of one run id (its shards)
 * are one run; runs are ordered by their start.
 */
import type { ShapeFingerprint, ShapeTable } from '../checks/shape.ts';
import type { Observed } from '../checks/types.ts';
import { splitCellKey } from '../report/matrix.ts';
import { shapeDrift } from '../report/shape-drift.ts';
import type { HistoryRun } from '../suite/history-schema.ts';
import { HISTORY_FORMAT, type CellHistory, type CellState, type ChangePoint, type DriftEvent, type HistoryReport, type HistoryRunInfo, type LatencySeries, type ModelHistory } from './history-model.ts';
import { recentChanges } from './recent-changes.ts';

/** Statuses that say something about the model was observed (an API not served is an observation too). */
const OBSERVING: ReadonlySet<string> = new Set(['pass', 'fail', 'flaky', 'unsupported', 'inconclusive']);

interface Part {
  file: string;
  run: HistoryRun['run'];
  targets: HistoryRun['targets'];
  models: Set<string>;
  /** Series index, state index, alternately. */
  cells: Int32Array;
  latency: HistoryRun['latency'];
  /** `target/model` -> API -> signature index. */
  shapes: Map<string, Map<string, number>>;
}

const date = (iso: string) => iso.slice(0, 10);
const show = (value: Observed) => (value === null ? 'null' : typeof value === 'string' ? value : JSON.stringify(value));

/** How a state reads in a change: the value where one was observed, else the status. */
export function describeState(state: CellState): string {
  if (state.status === 'pass' || state.status === 'fail') return show(state.observed);
  if (state.status === 'flaky') return `flaky (${show(state.observed)})`;
  if (state.status === 'unsupported') return 'n/a';
  return state.status;
}

function changeText(from: CellState, to: CellState): string {
  const a = describeState(from);
  const b = describeState(to);
  return a === b ? `${from.status} ${a} -> ${to.status} ${b}` : `${a} -> ${b}`;
}

export class HistoryBuilder {
  readonly #parts: Part[] = [];
  /** `target/model` -> check -> series; status -> observed -> state (no key is built per cell: a year is millions). */
  readonly #seriesIndex = new Map<string, Map<string, number>>();
  readonly #series: { target: string; model: string; check: string }[] = [];
  readonly #stateIndex = new Map<string, Map<Observed, number>>();
  readonly #states: CellState[] = [];
  readonly #checks = new Map<string, { id: string; group: string; api: string | null }>();
  readonly #families = new Map<string, string | null>();
  readonly #fingerprints = new Map<string, ShapeFingerprint>();
  readonly #signatureIndex = new Map<string, number>();
  readonly #signatures: Record<string, string[]>[] = [];

  #intern<K, T>(index: Map<K, number>, list: T[], key: K, make: () => T): number {
    let at = index.get(key);
    if (at === undefined) {
      at = list.length;
      list.push(make());
      index.set(key, at);
    }
    return at;
  }

  /** Adds one run file (already validated). */
  add(file: string, run: HistoryRun): void {
    const pairs: number[] = [];
    for (const [cellKey, checks] of Object.entries(run.cells)) {
      const { target, model } = splitCellKey(cellKey);
      let byCheck = this.#seriesIndex.get(cellKey);
      if (!byCheck) this.#seriesIndex.set(cellKey, (byCheck = new Map()));
      for (const [check, cell] of Object.entries(checks)) {
        const series = this.#intern(byCheck, this.#series, check, () => ({ target, model, check }));
        let byObserved = this.#stateIndex.get(cell.status);
        if (!byObserved) this.#stateIndex.set(cell.status, (byObserved = new Map()));
        const state = this.#intern(byObserved, this.#states, cell.observed, () => ({ status: cell.status, observed: cell.observed }));
        pairs.push(series, state);
      }
    }
    for (const c of run.checks) if (!this.#checks.has(c.id)) this.#checks.set(c.id, c);
    for (const m of run.models) if (!this.#families.has(m.id)) this.#families.set(m.id, m.family);
    const shapes = new Map<string, Map<string, number>>();
    if (run.shapes) {
      for (const [id, fingerprint] of Object.entries(run.shapes.fingerprints)) if (!this.#fingerprints.has(id)) this.#fingerprints.set(id, fingerprint);
      for (const [cellKey, byApi] of Object.entries(run.shapes.exchanges)) {
        const apis = new Map<string, number>();
        for (const [api, keys] of Object.entries(byApi)) apis.set(api, this.#intern(this.#signatureIndex, this.#signatures, JSON.stringify(keys), () => keys));
        shapes.set(cellKey, apis);
      }
    }
    this.#parts.push({ file, run: run.run, targets: run.targets, models: new Set(run.models.map((m) => m.id)), cells: Int32Array.from(pairs), latency: run.latency, shapes });
  }

  /** The report; `last` is the window of the recent changes (each target's last N runs). */
  build(options: { last: number; now?: Date }): HistoryReport {
    const runs = this.#runs();
    const targets = new Map<string, number[]>();
    for (const run of runs) for (const t of run.targets) targets.set(t, [...(targets.get(t) ?? []), run.index]);
    // Per series, its state in each run (-1: no result).
    const perSeries = new Map<number, Map<number, number>>();
    const runById = new Map(runs.map((run) => [run.id, run]));
    const runOfPart = new Map<Part, HistoryRunInfo>(this.#parts.map((part) => [part, runById.get(part.run.id)!]));
    for (const [part, run] of runOfPart) {
      for (let i = 0; i < part.cells.length; i += 2) {
        const series = part.cells[i]!;
        let states = perSeries.get(series);
        if (!states) perSeries.set(series, (states = new Map()));
        states.set(run.index, part.cells[i + 1]!);
      }
    }
    const cells = [...perSeries.entries()].map(([series, states]) => this.#cellHistory(series, states, targets.get(this.#series[series]!.target) ?? [], runs));
    const order = new Map([...this.#checks.keys()].map((id, i) => [id, i]));
    cells.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : order.get(a.check)! - order.get(b.check)!));
    const report: Omit<HistoryReport, 'recent'> = {
      format: HISTORY_FORMAT,
      generatedAt: (options.now ?? new Date()).toISOString(),
      runs,
      targets: [...targets.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, list]) => ({ id, runs: list })),
      checks: [...this.#checks.values()],
      cells,
      models: this.#modelHistories(cells, runOfPart, runs, targets),
      latency: this.#latency(runOfPart),
      drift: this.#drift(runOfPart, runs),
    };
    return { ...report, recent: recentChanges(report, options.last) };
  }

  /** Runs in start order: the files of one run id together, started at the earliest part's start. */
  #runs(): HistoryRunInfo[] {
    const byId = new Map<string, Part[]>();
    for (const part of this.#parts) byId.set(part.run.id, [...(byId.get(part.run.id) ?? []), part]);
    const runs = [...byId.entries()].map(([id, parts]) => ({
      id,
      startedAt: parts.map((p) => p.run.startedAt).sort()[0]!,
      files: parts.map((p) => p.file).sort(),
      targets: [...new Set(parts.flatMap((p) => p.targets.map((t) => t.id)))].sort(),
      modes: [...new Set(parts.flatMap((p) => p.targets.map((t) => t.mode)))].sort(),
      partial: parts.some((p) => p.run.partial),
      filtered: parts.some((p) => p.run.filtered),
      harnessVersion: parts[0]!.run.harnessVersion,
    }));
    runs.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1));
    return runs.map((run, index) => ({ index, ...run }));
  }

  #cellHistory(series: number, states: Map<number, number>, targetRuns: readonly number[], runs: readonly HistoryRunInfo[]): CellHistory {
    const { target, model, check } = this.#series[series]!;
    const info = this.#checks.get(check);
    const cell: CellHistory = { target, model, check, group: info?.group ?? 'Other', api: info?.api ?? null, segments: [], runs: 0, flaky: 0, flakiness: 0, changes: [] };
    let previous: CellState | undefined;
    for (const runIndex of targetRuns) {
      const at = states.get(runIndex);
      const state: CellState = at === undefined ? { status: 'absent', observed: null } : this.#states[at]!;
      const last = cell.segments.at(-1);
      if (last && last.status === state.status && last.observed === state.observed) {
        last.to = runIndex;
        last.runs += 1;
      } else {
        cell.segments.push({ from: runIndex, to: runIndex, runs: 1, ...state });
      }
      if (state.status === 'absent') continue;
      cell.runs += 1;
      if (state.status === 'flaky') cell.flaky += 1;
      if (previous && (previous.status !== state.status || previous.observed !== state.observed)) {
        const change: ChangePoint = { run: runIndex, date: date(runs[runIndex]!.startedAt), from: previous, to: state, text: changeText(previous, state) };
        cell.changes.push(change);
      }
      previous = state;
    }
    cell.flakiness = cell.runs ? Math.round((cell.flaky / cell.runs) * 100) / 100 : 0;
    return cell;
  }

  #modelHistories(cells: readonly CellHistory[], runOfPart: ReadonlyMap<Part, HistoryRunInfo>, runs: readonly HistoryRunInfo[], targets: ReadonlyMap<string, number[]>): ModelHistory[] {
    // Per target/model and run: true when it observed something, false when it ran and observed nothing.
    const seen = new Map<string, Map<number, boolean>>();
    for (const cell of cells) {
      const key = `${cell.target}/${cell.model}`;
      const map = seen.get(key) ?? new Map<number, boolean>();
      seen.set(key, map);
      for (const s of cell.segments) {
        if (s.status === 'absent') continue;
        for (const runIndex of targets.get(cell.target) ?? []) if (runIndex >= s.from && runIndex <= s.to) map.set(runIndex, map.get(runIndex) === true || OBSERVING.has(s.status));
      }
    }
    // A model an unfiltered run of the target did not have at all is gone from the catalog (or the selection).
    const inRun = new Map<number, { models: Set<string>; filtered: boolean }>();
    for (const [part, run] of runOfPart) {
      const entry = inRun.get(run.index) ?? { models: new Set<string>(), filtered: false };
      for (const m of part.models) entry.models.add(m);
      entry.filtered ||= part.run.filtered || part.run.shard !== undefined;
      inRun.set(run.index, entry);
    }
    const out: ModelHistory[] = [];
    for (const [key, map] of [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const { target, model } = splitCellKey(key);
      const history: ModelHistory = { target, model, family: this.#families.get(model) ?? null, firstSeen: null, lastSeen: null, events: [] };
      let present: boolean | undefined;
      for (const runIndex of targets.get(target) ?? []) {
        const entry = inRun.get(runIndex);
        const now = map.has(runIndex) ? map.get(runIndex)! : entry && !entry.filtered && !entry.models.has(model) ? false : undefined;
        if (now === undefined) continue;
        if (now) {
          history.firstSeen ??= runIndex;
          history.lastSeen = runIndex;
        }
        if (present !== undefined && now !== present) history.events.push({ run: runIndex, date: date(runs[runIndex]!.startedAt), kind: now ? 'appeared' : 'disappeared' });
        present = now;
      }
      out.push(history);
    }
    return out;
  }

  #latency(runOfPart: ReadonlyMap<Part, HistoryRunInfo>): LatencySeries[] {
    const series = new Map<string, LatencySeries>();
    const ordered = [...runOfPart.entries()].sort(([, a], [, b]) => a.index - b.index);
    for (const [part, run] of ordered) {
      for (const [cellKey, byApi] of Object.entries(part.latency ?? {})) {
        const { target, model } = splitCellKey(cellKey);
        for (const [api, l] of Object.entries(byApi)) {
          const key = `${cellKey}\u0000${api}`;
          let s = series.get(key);
          if (!s) series.set(key, (s = { target, model, api, runs: [], n: [], headersP50: [], firstTokenP50: [], firstTokenP95: [], totalP50: [], totalP95: [] }));
          if (s.runs.at(-1) === run.index) continue;
          s.runs.push(run.index);
          s.n.push(l.n);
          s.headersP50.push(Math.round(l.headersMs.p50));
          s.firstTokenP50.push(l.firstTokenMs ? Math.round(l.firstTokenMs.p50) : null);
          s.firstTokenP95.push(l.firstTokenMs ? Math.round(l.firstTokenMs.p95) : null);
          s.totalP50.push(Math.round(l.totalMs.p50));
          s.totalP95.push(Math.round(l.totalMs.p95));
        }
      }
    }
    return [...series.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, s]) => s);
  }

  /** Shape drift between each (target, model, API)'s consecutive runs; identical signatures cost nothing. */
  #drift(runOfPart: ReadonlyMap<Part, HistoryRunInfo>, runs: readonly HistoryRunInfo[]): DriftEvent[] {
    const last = new Map<string, { run: number; signature: number }>();
    const events: DriftEvent[] = [];
    const ordered = [...runOfPart.entries()].sort(([, a], [, b]) => a.index - b.index);
    const fingerprints = Object.fromEntries(this.#fingerprints);
    for (const [part, run] of ordered) {
      for (const [cellKey, apis] of part.shapes) {
        for (const [api, signature] of apis) {
          const key = `${cellKey}\u0000${api}`;
          const before = last.get(key);
          last.set(key, { run: run.index, signature });
          if (!before || before.signature === signature) continue;
          const table = (sig: number): ShapeTable => ({ fingerprints, exchanges: { [cellKey]: { [api]: this.#signatures[sig]! } } });
          for (const drift of shapeDrift(table(before.signature), table(signature))) events.push({ run: run.index, date: date(runs[run.index]!.startedAt), since: before.run, drift });
        }
      }
    }
    return events;
  }
}
