/**
 * @module history/window-gaps
 * What each target's last N runs (the window) did not observe: a window of filtered runs (probes only, one check)
 * observes a few cells, so "nothing changed" would be said of cells it never looked at, and a gating failure seen
 * before the window would vanish from the digest. Named here: per target the cells observed before the window and not
 * in it (how many, of how many checks, last observed when), the gating failures among them that the window planned
 * (still standing as far as anything observed: a `-t` filter, another shard or a stop left them out), and the targets
 * whose window recorded no answer shape or no latency. A cell whose model or check no run of the window planned, and
 * a run of the whole catalog in it did not (its files' models and checks: a model gone from the catalog, a check a
 * harness upgrade dropped), left: its failure does not stand for ever, it is counted apart. And the cells the window observed whose latest runs no longer do (they are
 * inconclusive or skipped since): no change point (cell-history.ts), but a loss of what is seen, as compare says it.
 * The rows' per-run gating is read here too: the cells the target's latest run observed failing its gate (`failingNow`).
 */
import type { Observed } from '../checks/types.ts';
import { describeState, isChangeState } from './cell-history.ts';
import type { ErrorRow } from './error-cells.ts';
import type { CellState, HistoryRunInfo, LatencySeries, RecentChanges } from './history-model.ts';

export type WindowGaps = Pick<RecentChanges, 'unobserved' | 'standing' | 'unmeasured' | 'noLongerObserved' | 'failingNow'>;

/** Per run, the models and checks its files planned (run-selection.ts runsSelected). */
export type PlannedRuns = ReadonlyMap<number, { models: ReadonlySet<string>; checks: ReadonlySet<string>; narrowed: boolean }>;

/** The gaps of `recent`'s windows; `shapeRuns`: the runs whose files recorded an answer shape; `planned`: what each run planned. */
export function windowGaps(rows: readonly ErrorRow[], states: readonly CellState[], recent: Pick<RecentChanges, 'windows'>, latency: readonly LatencySeries[], shapeRuns: ReadonlySet<number>, planned: PlannedRuns): WindowGaps {
  const windows = new Map(recent.windows.map((w) => [w.target, new Set(w.runs)]));
  const unobserved = new Map<string, { cells: number; checks: Set<string>; lastSeen: number; unplanned: number; unplannedGating: number }>();
  const standing: NonNullable<RecentChanges['standing']> = [];
  const noLonger: NonNullable<RecentChanges['noLongerObserved']> = [];
  const failingNow: NonNullable<RecentChanges['failingNow']> = [];
  const observes = (state: number) => state >= 0 && isChangeState(states[state]!);
  for (const row of rows) {
    const window = windows.get(row.target);
    if (!window) continue;
    let at = row.runs.length - 1;
    while (at >= 0 && !observes(row.states[at]!)) at--;
    if (at < 0) continue;
    // Observed failing the gate by the target's latest run: the reports never cut its last change (recent-changes.ts).
    if (at === row.runs.length - 1 && row.gating[at] === 1) failingNow.push({ target: row.target, model: row.model, check: row.check });
    if (window.has(row.runs[at]!)) {
      // Observed in the window: named when its latest result since is inconclusive or skipped (absent: not run; an error: "Errors now").
      let end = row.runs.length - 1;
      while (end > at && row.states[end]! < 0) end--;
      const now = end > at ? states[row.states[end]!]! : undefined;
      if (now?.status !== 'inconclusive' && now?.status !== 'skipped') continue;
      // `since`: the first run of the current status (runs that did not have the cell passed over); the first result
      // after the last observation, when earlier (an error, the other hidden status), is named apart: never "inconclusive since" an error.
      let since = end;
      for (let j = end - 1; j > at && (row.states[j]! < 0 || states[row.states[j]!]!.status === now.status); j--) if (row.states[j]! >= 0) since = j;
      let first = at + 1;
      while (row.states[first]! < 0) first++;
      const after = first < since ? { after: { run: row.runs[first]!, status: states[row.states[first]!]!.status } } : {};
      noLonger.push({ target: row.target, model: row.model, check: row.check, since: row.runs[since]!, status: now.status, lastSeen: row.runs[at]!, last: states[row.states[at]!]!, ...after });
      continue;
    }
    const run = row.runs[at]!;
    const entry = unobserved.get(row.target) ?? { cells: 0, checks: new Set<string>(), lastSeen: run, unplanned: 0, unplannedGating: 0 };
    entry.cells += 1;
    entry.checks.add(row.check);
    entry.lastSeen = Math.max(entry.lastSeen, run);
    unobserved.set(row.target, entry);
    const state = states[row.states[at]!]!;
    const gated = state.status === 'fail' && row.gating[at] === 1;
    // Planned in the window (a filter, a shard or a stop left it out) it stands; left out of the plan of a run of the
    // whole catalog (no --models, --checks or filter), it left. Runs that each selected a part (`--checks 'api.*'`
    // every night) cannot tell a check that left from one they did not select: it stands.
    const plans = (r: number) => planned.get(r)?.models.has(row.model) === true && planned.get(r)?.checks.has(row.check) === true;
    const leftWhole = [...window].some((r) => planned.get(r)?.narrowed === false && !plans(r));
    if ([...window].some(plans) || !leftWhole) {
      if (gated) standing.push({ target: row.target, model: row.model, check: row.check, run, observed: state.observed as Observed });
    } else {
      entry.unplanned += 1;
      if (gated) entry.unplannedGating += 1;
    }
  }
  const unmeasured = recent.windows.flatMap(({ target, runs }) => {
    const shapes = runs.some((run) => shapeRuns.has(run));
    const timed = latency.some((s) => s.target === target && s.runs.some((run) => runs.includes(run)));
    return shapes && timed ? [] : [{ target, ...(shapes ? {} : { shapes: true as const }), ...(timed ? {} : { latency: true as const }) }];
  });
  const counted = (n: number, key: string) => (n ? { [key]: n } : {});
  noLonger.sort((a, b) => b.since - a.since || (a.target < b.target ? -1 : a.target > b.target ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : a.check < b.check ? -1 : 1));
  return {
    ...(unobserved.size ? { unobserved: [...unobserved].map(([target, e]) => ({ target, cells: e.cells, checks: e.checks.size, lastSeen: e.lastSeen, ...counted(e.unplanned, 'unplanned'), ...counted(e.unplannedGating, 'unplannedGating') })) } : {}),
    ...(standing.length ? { standing } : {}),
    ...(unmeasured.length ? { unmeasured } : {}),
    ...(noLonger.length ? { noLongerObserved: noLonger } : {}),
    ...(failingNow.length ? { failingNow } : {}),
  };
}

/** The lines the digest and the page show of the gaps (callers escape with `code` and `text`, and cut the lists to their caps). */
export function windowGapLines(recent: RecentChanges, runs: readonly HistoryRunInfo[], code: (v: string) => string, text: (v: string) => string): { standing: string[]; gaps: string[]; noLonger: string[] } {
  const when = (run: number) => `${runs[run]?.startedAt.slice(0, 10) ?? '?'} (run ${code(runs[run]?.id ?? '?')})`;
  const last = `the last ${recent.last} run${recent.last === 1 ? '' : 's'}`;
  const left = (u: NonNullable<RecentChanges['unobserved']>[number]) =>
    u.unplanned ? `; ${u.unplanned} of them of a model or check no run in the window planned (gone from the catalog or the harness, or no longer selected)${u.unplannedGating ? `, ${u.unplannedGating} of which failed the gate when last observed: not standing, it left` : ''}` : '';
  return {
    standing: (recent.standing ?? []).map((s) => `${code(s.model)} ${code(s.check)} (${text(s.target)}): failed the gate (${text(String(s.observed))}) on ${when(s.run)}, its last observation: ${last} planned it and did not observe it, so it stands as far as anything observed`),
    gaps: [
      ...(recent.unobserved ?? []).map((u) => `${text(u.target)}: ${u.cells} cell${u.cells === 1 ? '' : 's'} (${u.checks} check${u.checks === 1 ? '' : 's'}) observed before were not observed in ${last} (filtered runs, errors, not run; last observed up to ${when(u.lastSeen)}): no change is claimed for them, their state is as of then${left(u)}`),
      ...(recent.unmeasured ?? []).map((u) => `${text(u.target)}: ${[u.shapes ? 'no answer shape' : '', u.latency ? 'no latency' : ''].filter(Boolean).join(' and ')} was measured in ${last}: nothing is said of ${u.shapes && u.latency ? 'shape drift or latency' : u.shapes ? 'shape drift' : 'latency'} there`),
    ],
    noLonger: (recent.noLongerObserved ?? []).map((n) => `${code(n.model)} ${code(n.check)} (${text(n.target)}): no longer observed since ${n.after ? `${when(n.after.run)}, ${n.after.status} then, ${n.status} since ${when(n.since)}` : `${when(n.since)}, ${n.status} since`}; last observed ${text(describeState(n.last))} on ${when(n.lastSeen)}`),
  };
}
