/**
 * @module history/window-gaps
 * What each target's last N runs (the window) did not observe: a window of filtered runs (probes only, one check)
 * observes a few cells, so "nothing changed" would be said of cells it never looked at, and a gating failure seen
 * before the window would vanish from the digest. Named here: per target the cells observed before the window and not
 * in it (how many, of how many checks, last observed when), the gating failures among them (still standing as far as
 * anything observed), and the targets whose window recorded no answer shape or no latency.
 */
import type { Observed } from '../checks/types.ts';
import { OBSERVED } from '../report/observed-models.ts';
import type { ErrorRow } from './error-cells.ts';
import type { CellState, HistoryRunInfo, LatencySeries, RecentChanges } from './history-model.ts';

export type WindowGaps = Pick<RecentChanges, 'unobserved' | 'standing' | 'unmeasured'>;

/** The gaps of `recent`'s windows; `shapeRuns`: the runs whose files recorded an answer shape. */
export function windowGaps(rows: readonly ErrorRow[], states: readonly CellState[], recent: Pick<RecentChanges, 'windows'>, latency: readonly LatencySeries[], shapeRuns: ReadonlySet<number>): WindowGaps {
  const windows = new Map(recent.windows.map((w) => [w.target, new Set(w.runs)]));
  const unobserved = new Map<string, { cells: number; checks: Set<string>; lastSeen: number }>();
  const standing: NonNullable<RecentChanges['standing']> = [];
  for (const row of rows) {
    const window = windows.get(row.target);
    if (!window) continue;
    let at = row.runs.length - 1;
    while (at >= 0 && !(row.states[at]! >= 0 && OBSERVED.has(states[row.states[at]!]!.status as never))) at--;
    // Never observed, or observed in the window (the last observation is in it when any is: the window is the last runs).
    if (at < 0 || window.has(row.runs[at]!)) continue;
    const run = row.runs[at]!;
    const entry = unobserved.get(row.target) ?? { cells: 0, checks: new Set<string>(), lastSeen: run };
    entry.cells += 1;
    entry.checks.add(row.check);
    entry.lastSeen = Math.max(entry.lastSeen, run);
    unobserved.set(row.target, entry);
    const state = states[row.states[at]!]!;
    if (state.status === 'fail' && row.gating[at] === 1) standing.push({ target: row.target, model: row.model, check: row.check, run, observed: state.observed as Observed });
  }
  const unmeasured = recent.windows.flatMap(({ target, runs }) => {
    const shapes = runs.some((run) => shapeRuns.has(run));
    const timed = latency.some((s) => s.target === target && s.runs.some((run) => runs.includes(run)));
    return shapes && timed ? [] : [{ target, ...(shapes ? {} : { shapes: true as const }), ...(timed ? {} : { latency: true as const }) }];
  });
  return {
    ...(unobserved.size ? { unobserved: [...unobserved].map(([target, e]) => ({ target, cells: e.cells, checks: e.checks.size, lastSeen: e.lastSeen })) } : {}),
    ...(standing.length ? { standing } : {}),
    ...(unmeasured.length ? { unmeasured } : {}),
  };
}

/** The lines the digest and the page show of the gaps (callers escape with `code` and `text`). */
export function windowGapLines(recent: RecentChanges, runs: readonly HistoryRunInfo[], code: (v: string) => string, text: (v: string) => string): { standing: string[]; gaps: string[] } {
  const when = (run: number) => `${runs[run]?.startedAt.slice(0, 10) ?? '?'} (run ${code(runs[run]?.id ?? '?')})`;
  const last = `the last ${recent.last} run${recent.last === 1 ? '' : 's'}`;
  return {
    standing: (recent.standing ?? []).map((s) => `${code(s.model)} ${code(s.check)} (${text(s.target)}): failed the gate (${text(String(s.observed))}) on ${when(s.run)}, its last observation: ${last} did not observe it, so it stands as far as anything observed`),
    gaps: [
      ...(recent.unobserved ?? []).map((u) => `${text(u.target)}: ${u.cells} cell${u.cells === 1 ? '' : 's'} (${u.checks} check${u.checks === 1 ? '' : 's'}) observed before were not observed in ${last} (filtered runs, errors, not run; last observed up to ${when(u.lastSeen)}): no change is claimed for them, their state is as of then`),
      ...(recent.unmeasured ?? []).map((u) => `${text(u.target)}: ${[u.shapes ? 'no answer shape' : '', u.latency ? 'no latency' : ''].filter(Boolean).join(' and ')} was measured in ${last}: nothing is said of ${u.shapes && u.latency ? 'shape drift or latency' : u.shapes ? 'shape drift' : 'latency'} there`),
    ],
  };
}
