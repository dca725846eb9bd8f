/**
 * @module history/recent-changes
 * What changed in each target's last N runs: change points, flaky cells, models that appeared or disappeared,
 * shape drift, and latency that moved (the median of a p95 or p50 over the window against the median over as many
 * runs before it: at least 1.5x either way and 20 ms apart). The digest and the page's "recent" view show this.
 * Latency is compared only between runs that selected the same (the whole catalog, or the same models and checks:
 * a nightly with a fixed `--models a,b`) and ran it to the end: a run of one model or one group of checks among runs
 * of all, or one that stopped early or lost a shard, measured other requests, not slower ones.
 */
import type { HistoryReport, LatencySeries, LatencyShift, RecentChanges } from './history-model.ts';
import { runGaps } from './run-info.ts';
import { staleTargets } from './stale-targets.ts';

/** Latency moved when its median changed by this factor or more, either way... */
export const LATENCY_SHIFT_RATIO = 1.5;
/** ...and by at least this many milliseconds (a 2 ms p50 doubling is noise). */
export const LATENCY_SHIFT_MS = 20;
/**
 * Times are whole milliseconds, so a median of 0 ms (a local gateway, an emulator) is under 1 ms: the ratio is taken
 * with each side at least this, so a series that went 0 -> 2500 ms is compared (2500x), not passed over as if no
 * latency moved, and 0 -> 0 stays no shift (the 20 ms floor).
 */
const LATENCY_FLOOR_MS = 1;

/** The median of `values`, the mean of the middle two of an even count; none of none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The shifts, and how many series measured in the window were not compared (no comparable run before it: a folder of
 * N runs or fewer, or runs that selected other things): "no latency moved" is said only of what was compared.
 */
function latencyShifts(series: readonly LatencySeries[], windows: ReadonlyMap<string, ReadonlySet<number>>, last: number, selection: (run: number) => string | undefined): { shifts: LatencyShift[]; uncompared: number } {
  const shifts: LatencyShift[] = [];
  let uncompared = 0;
  for (const s of series) {
    const window = windows.get(s.target);
    if (!window) continue;
    const measured = s.runs.some((run) => window.has(run));
    // The runs that selected what the series' latest comparable run did (every run of the catalog, or one fixed selection).
    const latest = s.runs.findLast((run) => selection(run) !== undefined);
    if (latest === undefined) {
      if (measured) uncompared += 1;
      continue;
    }
    const key = selection(latest);
    const points = s.runs.flatMap((run, at) => (selection(run) === key ? [at] : []));
    const first = points.findIndex((at) => window.has(s.runs[at]!));
    if (first <= 0) {
      if (measured) uncompared += 1;
      continue;
    }
    for (const metric of ['firstTokenP95', 'totalP95', 'firstTokenP50', 'totalP50'] as const) {
      const values = points.map((at) => s[metric][at] ?? null);
      const pick = (from: number, to: number) => values.slice(Math.max(0, from), to).filter((v): v is number => v !== null);
      const before = median(pick(first - last, first));
      const after = median(pick(first, s.runs.length));
      if (before === undefined || after === undefined) continue;
      const ratio = Math.max(after, LATENCY_FLOOR_MS) / Math.max(before, LATENCY_FLOOR_MS);
      if ((ratio >= LATENCY_SHIFT_RATIO || ratio <= 1 / LATENCY_SHIFT_RATIO) && Math.abs(after - before) >= LATENCY_SHIFT_MS) {
        shifts.push({ target: s.target, model: s.model, api: s.api, metric, before, after, ratio: Math.round(ratio * 100) / 100 });
        // One metric per series says it; the p50 is only named when the p95 did not move.
        break;
      }
    }
  }
  return { shifts: shifts.sort((a, b) => Math.abs(Math.log(b.ratio)) - Math.abs(Math.log(a.ratio))), uncompared };
}

/**
 * What the reports say when no latency shift is listed: "none moved" only when some series was compared; else that
 * none was (a folder of `last` runs or fewer has no runs before the window to compare with).
 */
export function noLatencyShiftText(recent: Pick<RecentChanges, 'last' | 'latency' | 'latencyUncompared' | 'unmeasured'>): string {
  if (recent.latencyUncompared) {
    return `Latency not compared for ${recent.latencyUncompared} (target, model, API): fewer than ${recent.last + 1} comparable runs (each target's last ${recent.last} runs are compared with as many before them; --last sets ${recent.last}).`;
  }
  // A window that measured no latency moved none: it is not said to have (window-gaps.ts).
  const none = recent.unmeasured?.filter((u) => u.latency).length ?? 0;
  return none ? `No latency moved ${LATENCY_SHIFT_RATIO}x or more of what was measured; ${none} target${none === 1 ? '' : 's'} measured no latency in the last ${recent.last} runs.` : `No latency moved ${LATENCY_SHIFT_RATIO}x or more.`;
}

/**
 * The recent changes in the order the reports list them: the last change of each cell that fails its target's latest
 * run's gate first (the reports never cut them: `keep` counts them, one per cell), whichever run of the window it was
 * made in (a failure that began two nights ago and still fails is not pushed out by last night's cosmetic changes),
 * then newest first, a run's gating failures before its others.
 */
export function changesByPriority(recent: RecentChanges): { changes: RecentChanges['changes']; keep: number } {
  const latest = new Map(recent.windows.map((w) => [w.target, w.runs.at(-1)]));
  const key = (c: { target: string; model: string; check: string }) => `${c.target}\u0000${c.model}\u0000${c.check}`;
  const failing = new Set((recent.failingNow ?? []).map(key));
  // recent.changes is oldest first: the last one set is the cell's newest change.
  const newest = new Map(recent.changes.map((c) => [key(c), c]));
  const rank = (c: RecentChanges['changes'][number]) => ((c.gating && latest.get(c.target) === c.run) || (failing.has(key(c)) && newest.get(key(c)) === c) ? 1 : 0);
  const changes = [...recent.changes].sort((a, b) => rank(b) - rank(a) || b.run - a.run || Number(b.gating ?? false) - Number(a.gating ?? false));
  return { changes, keep: changes.filter((c) => rank(c) === 1).length };
}

/**
 * `selections`: per run, a key runs that selected the same models and checks share ('' for the whole catalog;
 * build-history.ts); without it, only unfiltered runs are compared. `ci`: per run, its CI run (stale-targets.ts).
 */
export function recentChanges(report: Omit<HistoryReport, 'recent'>, last: number, selections?: ReadonlyMap<number, string>, ci?: ReadonlyMap<number, string>): RecentChanges {
  const windows = report.targets.map((t) => ({ target: t.id, runs: t.runs.slice(-last) }));
  const inWindow = new Map(windows.map((w) => [w.target, new Set(w.runs)]));
  const recent: RecentChanges = { last, windows, changes: [], flaky: [], models: [], drift: [], latency: [], errors: [] };
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
  const selection = (run: number) => {
    const info = report.runs[run];
    if (info === undefined || runGaps(info).length > 0) return undefined;
    return selections?.get(run) ?? (info.filtered ? undefined : '');
  };
  const { shifts, uncompared } = latencyShifts(report.latency, inWindow, last, selection);
  recent.latency = shifts;
  const stale = staleTargets(report, ci);
  if (stale.length) recent.stale = stale;
  if (uncompared > 0) recent.latencyUncompared = uncompared;
  return recent;
}
