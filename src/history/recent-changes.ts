/**
 * @module history/recent-changes
 * What changed in each target's last N runs: change points, flaky cells, models that appeared or disappeared,
 * shape drift, and latency that moved (the median of a p95 or p50 over the window against the median over as many
 * runs before it: at least 1.5x either way and 20 ms apart). The digest and the page's "recent" view show this.
 */
import type { HistoryReport, LatencySeries, LatencyShift, RecentChanges } from './history-model.ts';

/** Latency moved when its median changed by this factor or more, either way... */
export const LATENCY_SHIFT_RATIO = 1.5;
/** ...and by at least this many milliseconds (a 2 ms p50 doubling is noise). */
export const LATENCY_SHIFT_MS = 20;

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function latencyShifts(series: readonly LatencySeries[], windows: ReadonlyMap<string, ReadonlySet<number>>, last: number): LatencyShift[] {
  const shifts: LatencyShift[] = [];
  for (const s of series) {
    const window = windows.get(s.target);
    if (!window) continue;
    const first = s.runs.findIndex((run) => window.has(run));
    if (first <= 0) continue;
    for (const metric of ['firstTokenP95', 'totalP95', 'firstTokenP50', 'totalP50'] as const) {
      const values = s[metric];
      const pick = (from: number, to: number) => values.slice(Math.max(0, from), to).filter((v): v is number => v !== null);
      const before = median(pick(first - last, first));
      const after = median(pick(first, s.runs.length));
      if (before === undefined || after === undefined || before <= 0) continue;
      const ratio = after / before;
      if ((ratio >= LATENCY_SHIFT_RATIO || ratio <= 1 / LATENCY_SHIFT_RATIO) && Math.abs(after - before) >= LATENCY_SHIFT_MS) {
        shifts.push({ target: s.target, model: s.model, api: s.api, metric, before, after, ratio: Math.round(ratio * 100) / 100 });
        // One metric per series says it; the p50 is only named when the p95 did not move.
        break;
      }
    }
  }
  return shifts.sort((a, b) => Math.abs(Math.log(b.ratio)) - Math.abs(Math.log(a.ratio)));
}

export function recentChanges(report: Omit<HistoryReport, 'recent'>, last: number): RecentChanges {
  const windows = report.targets.map((t) => ({ target: t.id, runs: t.runs.slice(-last) }));
  const inWindow = new Map(windows.map((w) => [w.target, new Set(w.runs)]));
  const recent: RecentChanges = { last, windows, changes: [], flaky: [], models: [], drift: [], latency: [] };
  for (const cell of report.cells) {
    const window = inWindow.get(cell.target)!;
    for (const change of cell.changes) if (window.has(change.run)) recent.changes.push({ target: cell.target, model: cell.model, check: cell.check, ...change });
    if (cell.flaky === 0) continue;
    let flaky = 0;
    let of = 0;
    for (const segment of cell.segments) {
      if (segment.status === 'absent') continue;
      const covered = [...window].filter((run) => run >= segment.from && run <= segment.to).length;
      of += covered;
      if (segment.status === 'flaky') flaky += covered;
    }
    if (flaky) recent.flaky.push({ target: cell.target, model: cell.model, check: cell.check, flaky, of });
  }
  recent.changes.sort((a, b) => a.run - b.run);
  recent.flaky.sort((a, b) => b.flaky / b.of - a.flaky / a.of);
  for (const m of report.models) for (const event of m.events) if (inWindow.get(m.target)?.has(event.run)) recent.models.push({ target: m.target, model: m.model, ...event });
  recent.models.sort((a, b) => a.run - b.run);
  recent.drift = report.drift.filter((d) => inWindow.get(d.drift.target)?.has(d.run));
  recent.latency = latencyShifts(report.latency, inWindow, last);
  return recent;
}
