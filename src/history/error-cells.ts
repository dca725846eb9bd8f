/**
 * @module history/error-cells
 * Cells that error now. An error is no change point (cell-history.ts: an outage observed nothing), so without this
 * a regression into an error, or an outage of one check or one model that lasts for nights, would say nothing in any
 * list: the latest run's cells that errored and failed its gate, and the cells that errored in each of their last
 * two runs or more, are named here, grouped per target and check or per target and model (whichever makes fewer
 * lines; per target when both make many), with how long they have errored.
 */
import type { CellState, HistoryRunInfo, RecentChanges } from './history-model.ts';

/** A (target, model, check)'s row of the builder's grid, with whether it failed the gate in each run. */
export interface ErrorRow {
  target: string;
  model: string;
  check: string;
  runs: readonly number[];
  states: Int32Array;
  gating: Uint8Array;
}

export type ErrorCell = RecentChanges['errors'][number];

/**
 * The cells whose last run that had them (the target's latest, or before a later run that did not run them: a filtered
 * debug run is no recovery) errored them, when that error failed that run's gate or the cell errored in each of its
 * last two runs or more (runs that did not have it are passed over: not run is not a recovery). `others`: the cells the
 * target's latest run errored that are not listed (no expectation stated, a first error), counted so an outage of
 * cells that do not gate is said somewhere.
 */
export function errorCells(rows: readonly ErrorRow[], states: readonly CellState[]): { cells: ErrorCell[]; others: number } {
  const out: ErrorCell[] = [];
  let others = 0;
  for (const row of rows) {
    const n = row.runs.length;
    let last = n - 1;
    while (last >= 0 && row.states[last]! < 0) last--;
    if (last < 0) continue;
    const latest = row.states[last]!;
    if (states[latest]!.status !== 'error') continue;
    let runs = 0;
    let since = row.runs[last]!;
    for (let i = last; i >= 0; i--) {
      const at = row.states[i]!;
      if (at < 0) continue;
      if (states[at]!.status !== 'error') break;
      runs += 1;
      since = row.runs[i]!;
    }
    const gating = row.gating[last] === 1;
    if (!gating && runs < 2) {
      if (last === n - 1) others += 1;
      continue;
    }
    // Said only when the target's latest run lacked the cell: its error is then that of an earlier run.
    const lastRun = last === n - 1 ? {} : { lastRun: row.runs[last]! };
    out.push({ target: row.target, model: row.model, check: row.check, since, runs, ...lastRun, ...(gating ? { gating: true as const } : {}), observed: states[latest]!.observed });
  }
  return { cells: out, others };
}

export interface ErrorGroup {
  target: string;
  /** What the cells share: one check (on several models), one model (several checks), one cell, or only the target (many of each). */
  by: 'check' | 'model' | 'cell' | 'target';
  cells: ErrorCell[];
  since: number;
  /** The fewest runs in a row any of its cells errored. */
  runs: number;
  /** Its cells that failed the latest run's gate. */
  gating: number;
}

/** A target's cells that began erroring in one run make at most this many lines; more are one line for the target. */
const MAX_SPLIT = 10;

/**
 * The cells grouped per target and start of their errors, then per check or per model, whichever makes fewer
 * groups; the groups with a cell that failed the latest run's gate first (those that started erroring in it
 * leading), then the longest erroring.
 */
export function errorGroups(errors: readonly ErrorCell[]): ErrorGroup[] {
  const buckets = new Map<string, ErrorCell[]>();
  for (const e of errors) {
    const key = `${e.target}\u0000${e.since}`;
    buckets.set(key, [...(buckets.get(key) ?? []), e]);
  }
  const groups: ErrorGroup[] = [];
  // The cells failing the gate are grouped apart from the others: a line never mixes them, so it says which gate.
  const parts = [...buckets.values()].flatMap((cells) => [cells.filter((e) => e.gating), cells.filter((e) => !e.gating)]).filter((cells) => cells.length > 0);
  for (const cells of parts) {
    const split = (of: (e: ErrorCell) => string) => {
      const by = new Map<string, ErrorCell[]>();
      for (const e of cells) by.set(of(e), [...(by.get(of(e)) ?? []), e]);
      return [...by.values()];
    };
    const [byCheck, byModel] = [split((e) => e.check), split((e) => e.model)];
    const [lists, by] = byModel.length < byCheck.length ? [byModel, 'model' as const] : [byCheck, 'check' as const];
    // An outage of most of a target is one line, not a line per model.
    if (lists.length > MAX_SPLIT) {
      groups.push({ target: cells[0]!.target, by: 'target', cells, since: cells[0]!.since, runs: Math.min(...cells.map((e) => e.runs)), gating: cells.filter((e) => e.gating).length });
      continue;
    }
    for (const list of lists) {
      groups.push({ target: list[0]!.target, by: list.length === 1 ? 'cell' : by, cells: list, since: list[0]!.since, runs: Math.min(...list.map((e) => e.runs)), gating: list.filter((e) => e.gating).length });
    }
  }
  const rank = (g: ErrorGroup) => (g.gating > 0 ? (g.runs === 1 ? 2 : 1) : 0);
  return groups.sort((a, b) => rank(b) - rank(a) || a.since - b.since || b.cells.length - a.cells.length || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

/** How many ids a group line names before "and N more". */
const NAMED = 5;

/** One group in words; `code` and `text` escape for where it goes (Markdown or HTML). */
export function describeErrorGroup(g: ErrorGroup, runs: readonly HistoryRunInfo[], code: (id: string) => string, text: (value: string) => string): string {
  const first = g.cells[0]!;
  const names = (ids: string[]) => `${ids.slice(0, NAMED).map(code).join(', ')}${ids.length > NAMED ? ` and ${ids.length - NAMED} more` : ''}`;
  const what =
    g.by === 'cell'
      ? `${code(first.model)} ${code(first.check)} (${text(g.target)})`
      : g.by === 'check'
        ? `${code(first.check)} (${text(g.target)}) on ${g.cells.length} models: ${names(g.cells.map((e) => e.model))}`
        : g.by === 'model'
          ? `${code(first.model)} (${text(g.target)}) in ${g.cells.length} checks: ${names(g.cells.map((e) => e.check))}`
          : `${g.cells.length} cells of ${text(g.target)}, models ${names([...new Set(g.cells.map((e) => e.model))])}, checks ${names([...new Set(g.cells.map((e) => e.check))])}`;
  const start = runs[g.since];
  const them = g.cells.length === 1 ? 'it' : 'them';
  // A later run of the target did not run the cells (a filtered run): their error is of the latest run that had them.
  const latest = g.cells.some((e) => e.lastRun !== undefined) ? `the latest run that had ${them}` : 'the latest run';
  const when = g.runs === 1 ? `errored in ${latest} (${start?.startedAt.slice(0, 10)}, run ${code(start?.id ?? '?')})` : `errored in each of the last ${g.runs} runs that had ${them}, since ${start?.startedAt.slice(0, 10)} (run ${code(start?.id ?? '?')})`;
  const gate = g.gating === 0 ? '' : g.gating === 1 ? '; fails the gate' : `; ${g.gating} fail the gate`;
  const observed = g.by === 'cell' && first.observed !== null ? `; observed ${text(String(first.observed))}` : '';
  return `${what}: ${when}${gate}${observed}`;
}

/**
 * The count that heads the section and the console's line: cells, groups, those failing a gate (the latest run's, or
 * when a cell's last run is older, the gate of the latest run that had it), and the latest run's other errors (only
 * those, when nothing is listed: never "0 cells").
 */
export function errorCount(errors: readonly ErrorCell[], groups: readonly ErrorGroup[], others = 0, runProblems = 0): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  // No cell carries a run-level failure (a model with nothing observed): said, or "0 failing" reads as a passing gate.
  const run = runProblems ? `; the latest run's gate failed on ${plural(runProblems, 'run-level problem')}` : '';
  if (errors.length === 0) return `${plural(others, 'cell')} errored in the latest run, no expectation stated${run}`;
  const gating = errors.filter((e) => e.gating);
  const gate = gating.some((e) => e.lastRun !== undefined) ? 'the gate of the latest run that had them' : "the latest run's gate";
  const other = others ? `; ${plural(others, 'other cell')} errored in the latest run, no expectation stated` : '';
  return `${plural(errors.length, 'cell')} in ${plural(groups.length, 'group')}, ${gating.length} failing ${gate}${runProblems ? ' one by one' : ''}${other}${run}`;
}

/** The line for the latest runs' errors of cells that do not gate and are not listed above; none when there are none. */
export function otherErrorsLine(others: number | undefined): string[] {
  if (!others) return [];
  return [`${others} other cell${others === 1 ? '' : 's'} errored in the latest run, no expectation stated (matrix.json of the run has ${others === 1 ? 'it' : 'them'})`];
}
