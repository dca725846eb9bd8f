/**
 * @module history/build-history
 * Runs in, `history.json` out. Each run file comes in as a digest (run-digest.ts: its cells, latency and shapes as
 * numbers, made in this thread by add() or in a reading thread), merged in file order and kept only as numbers
 * (each (target, model, check), each distinct state, each (target/model, API) and each shape signature numbered
 * once), so a year of nightly runs in several regions fits in memory whatever the folder's size. The files of one
 * run id (its shards) are one run; runs are ordered by their start.
 */
import type { ShapeFingerprint } from '../checks/shape.ts';
import type { Observed } from '../checks/types.ts';
import { cellHistory } from './cell-history.ts';
import { errorCells } from './error-cells.ts';
import { windowGaps } from './window-gaps.ts';
import { splitCellKey } from '../report/matrix.ts';
import { OBSERVED } from '../report/observed-models.ts';
import type { HistoryRun } from '../suite/history-schema.ts';
import { HISTORY_FORMAT, type CellState, type DriftEvent, type HistoryReport, type HistoryRunInfo, type LatencySeries } from './history-model.ts';
import { modelHistories, type GridRow } from './model-history.ts';
import { recentChanges } from './recent-changes.ts';
import { fileReplayed, renameCellKey, renameTargets, replayId, replayNames } from './replay-series.ts';
import { driftEvents } from './run-drift.ts';
import { partOrder, runInfos } from './run-info.ts';
import { runCi, runSelections, runsSelected } from './run-selection.ts';
import { LATENCY_FIELDS, RunDigester, type RunDigest } from './run-digest.ts';

/** Whether a cell's status observed it (CellState's `absent` did not). */
const isObserved = (status: CellState['status']): boolean => status !== 'absent' && OBSERVED.has(status);

/**
 * The latest observed state of a row before `position` (-1: none, the row's first run: nothing seen before to lose), to
 * tell a repeated observation from a new one.
 */
function lastObserved(grid: Int32Array, offset: number, position: number, states: readonly CellState[]): number {
  for (let p = position - 1; p >= 0; p--) {
    const state = grid[offset + p]!;
    if (state >= 0 && isObserved(states[state]!.status)) return state;
  }
  return -1;
}

interface Part {
  file: string;
  run: HistoryRun['run'];
  targets: HistoryRun['targets'];
  models: Set<string>;
  checks: readonly string[];
  /** Per check of `checks`, its definition digest ('' in older files). */
  definitions: readonly string[];
  /** The digest's arrays, in the builder's numbers (series, state; key; key, signature). */
  cells: Int32Array;
  gating: Int32Array;
  latencyKeys: Int32Array;
  latency: Float64Array;
  shapes: Int32Array;
}

/** What a digester's numbers are in the builder's: one list per kind, indexed by the digester's number. */
export interface DigestSource {
  series: number[];
  states: number[];
  keys: number[];
  signatures: number[];
}

export class HistoryBuilder {
  readonly #parts: Part[] = [];
  /** `target/model` -> check -> series; status (a flaky one with its trial values) -> observed -> state (no key is built per cell: a year is millions). */
  readonly #seriesIndex = new Map<string, Map<string, number>>();
  readonly #series: { target: string; model: string; check: string }[] = [];
  readonly #stateIndex = new Map<string, Map<Observed, number>>();
  readonly #states: CellState[] = [];
  /** `target/model` -> API -> key, for latency and shapes. */
  readonly #keyIndex = new Map<string, Map<string, number>>();
  readonly #keys: { cellKey: string; api: string }[] = [];
  readonly #checks = new Map<string, { id: string; group: string; api: string | null }>();
  readonly #families = new Map<string, string | null>();
  readonly #fingerprints = new Map<string, ShapeFingerprint>();
  readonly #signatureIndex = new Map<string, number>();
  readonly #signatures: Record<string, string[]>[] = [];
  /** What add() digests with: runs added here are numbered in this thread. */
  readonly #digester = new RunDigester();
  readonly #own: DigestSource = { series: [], states: [], keys: [], signatures: [] };

  #intern<K, T>(index: Map<K, number>, list: T[], key: K, make: () => T): number {
    let at = index.get(key);
    if (at === undefined) {
      at = list.length;
      list.push(make());
      index.set(key, at);
    }
    return at;
  }

  #inner<K, I, V>(index: Map<K, Map<I, V>>, key: K): Map<I, V> {
    let inner = index.get(key);
    if (!inner) index.set(key, (inner = new Map()));
    return inner;
  }

  /** Adds one run file (already validated). */
  add(file: string, run: HistoryRun): void {
    this.merge(this.#digester.digest(file, run), this.#own);
  }

  /**
   * Adds one run file's digest; `source` is the builder's record of its digester's numbers (one per digester, the
   * same for all its digests). Digests are merged in file order, whichever thread made them: the first of a check,
   * a model's family or a fingerprint id met in that order is the one kept.
   */
  merge(digest: RunDigest, source: DigestSource): void {
    const { fresh } = digest;
    for (const [cellKey, check] of fresh.series) {
      const { target, model } = splitCellKey(cellKey);
      source.series.push(this.#intern(this.#inner(this.#seriesIndex, cellKey), this.#series, check, () => ({ target, model, check })));
    }
    for (const [status, observed, values] of fresh.states) {
      const make = (): CellState => (values === undefined ? { status, observed } : { status, observed, values });
      source.states.push(this.#intern(this.#inner(this.#stateIndex, values === undefined ? status : `${status}\u0000${values}`), this.#states, observed, make));
    }
    for (const [cellKey, api] of fresh.keys) source.keys.push(this.#intern(this.#inner(this.#keyIndex, cellKey), this.#keys, api, () => ({ cellKey, api })));
    for (const [json, exchanges] of fresh.signatures) source.signatures.push(this.#intern(this.#signatureIndex, this.#signatures, json, () => exchanges));
    for (const c of fresh.checks) if (!this.#checks.has(c.id)) this.#checks.set(c.id, c);
    for (const [model, family] of fresh.families) if (!this.#families.has(model)) this.#families.set(model, family);
    for (const [id, fingerprint] of fresh.fingerprints) if (!this.#fingerprints.has(id)) this.#fingerprints.set(id, fingerprint);
    const { cells, latencyKeys, shapes } = digest;
    for (let i = 0; i < cells.length; i += 2) {
      cells[i] = source.series[cells[i]!]!;
      cells[i + 1] = source.states[cells[i + 1]!]!;
    }
    for (let i = 0; i < latencyKeys.length; i++) latencyKeys[i] = source.keys[latencyKeys[i]!]!;
    for (let i = 0; i < shapes.length; i += 2) {
      shapes[i] = source.keys[shapes[i]!]!;
      shapes[i + 1] = source.signatures[shapes[i + 1]!]!;
    }
    // A replayed target's runs are a series of their own, never compared with live ones (replay-series.ts).
    const replayed = new Set(digest.targets.flatMap((t) => (t.mode === 'replay' ? [t.id] : [])));
    const mark = (id: string) => (replayed.has(id) ? replayId(id) : id);
    if (replayed.size) {
      const series = (n: number) => { const { target, model, check } = this.#series[n]!; return replayed.has(target) ? this.#intern(this.#inner(this.#seriesIndex, `${mark(target)}/${model}`), this.#series, check, () => ({ target: mark(target), model, check })) : n; };
      const key = (n: number) => { const { cellKey, api } = this.#keys[n]!; const id = renameCellKey(cellKey, mark); return id === cellKey ? n : this.#intern(this.#inner(this.#keyIndex, id), this.#keys, api, () => ({ cellKey: id, api })); };
      fileReplayed(digest, series, key);
    }
    const { run, targets } = replayed.size ? renameTargets(digest, mark) : digest;
    this.#parts.push({ file: digest.file, run, targets, models: new Set(digest.models), checks: digest.checkIds, definitions: digest.definitions, cells, gating: digest.gating, latencyKeys, latency: digest.latency, shapes });
  }

  /** The report; `last` is the window of the recent changes (each target's last N runs). */
  build(options: { last: number; now?: Date }): HistoryReport {
    // The replay series named, now that every run is in: `target (replay)` beside live runs of the target (replay-series.ts).
    const { name, replay } = replayNames(this.#parts.flatMap((p) => p.targets.map((t) => t.id)));
    for (const s of this.#series) s.target = name(s.target);
    for (const k of this.#keys) k.cellKey = renameCellKey(k.cellKey, name);
    for (const p of this.#parts) Object.assign(p, renameTargets(p, name));
    const { runs, runOf: runOfPart } = runInfos(this.#parts);
    const targets = new Map<string, number[]>();
    for (const run of runs) for (const t of run.targets) targets.set(t, [...(targets.get(t) ?? []), run.index]);
    const { grid, gating } = this.#grid(runOfPart, targets, runs);
    const definitions = this.#definitions(runOfPart);
    // What each run's files say of each target's endpoint: the first file of the run that names the target.
    const endpoints = new Map<number, Map<string, HistoryRun['targets'][number]>>();
    for (const [part, run] of runOfPart) for (const t of part.targets) this.#inner(endpoints, run.index).get(t.id) ?? this.#inner(endpoints, run.index).set(t.id, t);
    // A replayed target's cells were first numbered under its own id (replay-series.ts): that series holds no result.
    const cells = grid.flatMap((row, series) => (row.states.some((s) => s >= 0) ? [series] : [])).map((series) => {
      const row = grid[series]!;
      const { target, model, check } = this.#series[series]!;
      const info = this.#checks.get(check);
      return cellHistory({ target, model, check, group: info?.group ?? 'Other', api: info?.api ?? null, ...row, gating: gating[series]! }, this.#states, runs, (run) => definitions.get(run)?.get(check), (run) => endpoints.get(run)?.get(target));
    });
    const order = new Map([...this.#checks.keys()].map((id, i) => [id, i]));
    cells.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : order.get(a.check)! - order.get(b.check)!));
    const selected = runsSelected(runOfPart);
    const report: Omit<HistoryReport, 'recent'> = {
      format: HISTORY_FORMAT,
      generatedAt: (options.now ?? new Date()).toISOString(),
      runs,
      targets: [...targets.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, list]) => ({ id, runs: list, ...(replay.has(id) ? { replay: true as const } : {}) })),
      checks: [...this.#checks.values()],
      cells,
      models: modelHistories({ series: this.#series, grid, states: this.#states, families: this.#families, selected, runs, targets }),
      latency: this.#latency(runOfPart),
      drift: this.#drift(runOfPart, runs),
    };
    const recent = recentChanges(report, options.last, runSelections(selected), runCi(runOfPart));
    const rows = grid.map((row, series) => ({ ...this.#series[series]!, ...row, gating: gating[series]! }));
    const errors = errorCells(rows, this.#states);
    Object.assign(recent, windowGaps(rows, this.#states, recent, report.latency, new Set([...runOfPart].flatMap(([p, r]) => (p.shapes.length ? [r.index] : []))), selected));
    recent.errors = errors.cells;
    if (errors.others > 0) recent.otherErrors = errors.others;
    return { ...report, recent };
  }

  /** Per run, what each of its checks measured (its definition digest; '' when no file of the run says). */
  #definitions(runOfPart: ReadonlyMap<Part, HistoryRunInfo>): Map<number, Map<string, string>> {
    const byRun = new Map<number, Map<string, string>>();
    for (const [part, run] of runOfPart) {
      const defs = byRun.get(run.index) ?? new Map<string, string>();
      byRun.set(run.index, defs);
      part.checks.forEach((check, i) => defs.get(check) || defs.set(check, part.definitions[i] ?? ''));
    }
    return byRun;
  }

  /**
   * Every series' state in each of its target's runs, in one pass over the parts: a grid of state numbers (-1: no
   * result), one row per series as long as its target's list of runs. Of files of one run that both have a cell (a
   * duplicate upload, a CI job re-run under the same run id), the one that started last is the run's (#inRunOrder),
   * unless it skipped a cell an earlier one observed, or observed nothing of it (error, inconclusive) where the earlier
   * one observed something new.
   */
  #grid(runOfPart: ReadonlyMap<Part, HistoryRunInfo>, targets: ReadonlyMap<string, number[]>, runs: readonly HistoryRunInfo[]): { grid: GridRow[]; gating: Uint8Array[] } {
    const positions = new Map<string, Int32Array>();
    for (const [target, list] of targets) {
      const at = new Int32Array(runs.length).fill(-1);
      list.forEach((run, i) => (at[run] = i));
      positions.set(target, at);
    }
    const offsets: number[] = [];
    let size = 0;
    for (const s of this.#series) {
      offsets.push(size);
      size += targets.get(s.target)?.length ?? 0;
    }
    const grid = new Int32Array(size).fill(-1);
    const gated = new Uint8Array(size);
    const at = this.#series.map((s) => positions.get(s.target));
    let previous: { part: Part; run: number } | undefined;
    for (const [part, run] of this.#inRunOrder(runOfPart)) {
      // The same attempt at the same start is one execution uploaded twice: no file of it is the later.
      const tied = previous?.run === run.index && partOrder(previous.part, part) === 0;
      previous = { part, run: run.index };
      const gating = new Set(part.gating);
      for (let i = 0; i < part.cells.length; i += 2) {
        const series = part.cells[i]!;
        // A cell's target is one of its file's targets (validated), so one of its run's.
        const position = at[series]?.[run.index] ?? -1;
        if (position < 0) continue;
        const cell = offsets[series]! + position;
        const state = part.cells[i + 1]!;
        // A later attempt that observed nothing (what the gate does not count as observed, OBSERVED: an error, an
        // inconclusive, a skip) never hides an earlier attempt's observation of the same run when it saw something new
        // (a regression or a fix the run must keep), and a skip (nothing ran) never does. Otherwise it replaces an
        // observation that only repeated the run before's: the outage or the hidden behaviour is then the news, which
        // "Errors now" and "No longer observed" name (neither is a change point, so nothing reads as changed).
        const earlier = grid[cell]!;
        const incoming = this.#states[state]!.status;
        if (earlier >= 0 && isObserved(this.#states[earlier]!.status) && !isObserved(incoming)) {
          const before = incoming === 'skipped' || tied ? -1 : lastObserved(grid, offsets[series]!, position, this.#states);
          if (incoming === 'skipped' || tied || (before !== -1 && before !== earlier)) continue;
        }
        grid[cell] = state;
        gated[cell] = gating.has(i / 2) ? 1 : 0;
      }
    }
    const rows = this.#series.map((s) => targets.get(s.target)?.length ?? 0);
    return {
      grid: this.#series.map((s, series) => ({ runs: targets.get(s.target) ?? [], states: grid.subarray(offsets[series]!, offsets[series]! + rows[series]!) })),
      gating: this.#series.map((_, series) => gated.subarray(offsets[series]!, offsets[series]! + rows[series]!)),
    };
  }

  /**
   * The parts in run order, and within a run by CI attempt, then in the order its files started (then by name): a CI
   * job's re-run keeps its run id (GitHub's re-run keeps GITHUB_RUN_ID), and what its later attempt observed is the run's.
   */
  #inRunOrder(runOfPart: ReadonlyMap<Part, HistoryRunInfo>): [Part, HistoryRunInfo][] {
    return [...runOfPart.entries()].sort(([p, a], [q, b]) => a.index - b.index || partOrder(p, q) || (p.file < q.file ? -1 : p.file > q.file ? 1 : 0));
  }

  #latency(runOfPart: ReadonlyMap<Part, HistoryRunInfo>): LatencySeries[] {
    const series = new Map<number, LatencySeries>();
    for (const [part, run] of this.#inRunOrder(runOfPart)) {
      for (let i = 0; i < part.latencyKeys.length; i++) {
        const key = part.latencyKeys[i]!;
        let s = series.get(key);
        if (!s) {
          const { cellKey, api } = this.#keys[key]!;
          series.set(key, (s = { ...splitCellKey(cellKey), api, runs: [], n: [], headersP50: [], firstTokenP50: [], firstTokenP95: [], totalP50: [], totalP95: [] }));
        }
        const l = part.latency;
        const at = i * LATENCY_FIELDS;
        // Of files of one run, the one that started last is the run's (#inRunOrder): it replaces the point.
        if (s.runs.at(-1) !== run.index) s.runs.push(run.index);
        const point = s.runs.length - 1;
        s.n[point] = l[at]!;
        s.headersP50[point] = Math.round(l[at + 1]!);
        s.firstTokenP50[point] = Number.isNaN(l[at + 2]) ? null : Math.round(l[at + 2]!);
        s.firstTokenP95[point] = Number.isNaN(l[at + 3]) ? null : Math.round(l[at + 3]!);
        s.totalP50[point] = Math.round(l[at + 4]!);
        s.totalP95[point] = Math.round(l[at + 5]!);
      }
    }
    // In `target/model<NUL>API` order, as ever.
    const sortKey = (key: number) => `${this.#keys[key]!.cellKey}\u0000${this.#keys[key]!.api}`;
    const sorted = [...series.keys()].map((key) => ({ key, by: sortKey(key), cellKey: this.#keys[key]!.cellKey }));
    sorted.sort((a, b) => (a.by < b.by ? -1 : a.by > b.by ? 1 : a.cellKey < b.cellKey ? -1 : 1));
    return sorted.map(({ key }) => series.get(key)!);
  }

  /** Shape drift between each (target, model, API)'s consecutive runs; identical signatures cost nothing. */
  #drift(runOfPart: ReadonlyMap<Part, HistoryRunInfo>, runs: readonly HistoryRunInfo[]): DriftEvent[] {
    const signatures = this.#inRunOrder(runOfPart).map(([part, run]) => ({ run: run.index, shapes: part.shapes }));
    return driftEvents(signatures, { keys: this.#keys, signatures: this.#signatures, fingerprints: Object.fromEntries(this.#fingerprints) }, runs);
  }
}
