/**
 * @module history/stale-targets
 * Targets missing from the latest runs: a region or surface that dropped out of the nightly (night 3's file holds
 * one of two targets) keeps its older state as "now", and nothing in it changed because nothing observed it. Each
 * target whose latest run is older than the folder's latest run of its kind (live and record runs, or replayed
 * recordings: replay-series.ts) is named, with how old its state is. A run of the same CI run as that latest run (the
 * README's one job per region, each with its own --run-id, are runs of one CI run, hours apart when queued), or one
 * started less than SAME_NIGHT_MS before it whatever its CI run (a workflow per region or per surface: separate CI
 * runs seconds apart), is as current as it: only a target missing from the latest CI run and night is named, so the
 * warning does not fire every night and still fires for a job that did not upload.
 */
import { SAME_NIGHT_MS } from '../same-night.ts';
import type { HistoryReport, HistoryRunInfo, RecentChanges } from './history-model.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The stale targets, oldest state first; `ci`: per run, its CI run's identity (run-selection.ts runCi), none when its files name none. */
export function staleTargets(report: Pick<HistoryReport, 'targets' | 'runs'>, ci: ReadonlyMap<number, string> = new Map()): NonNullable<RecentChanges['stale']> {
  const kind = (t: HistoryReport['targets'][number]) => (t.replay ? 'replay' : 'live');
  const latest = new Map<string, number>();
  for (const t of report.targets) if (t.runs.length) latest.set(kind(t), Math.max(latest.get(kind(t)) ?? -1, t.runs.at(-1)!));
  const kindRuns = (k: string) => new Set(report.targets.filter((t) => kind(t) === k).flatMap((t) => t.runs));
  return report.targets.flatMap((t) => {
    const run = t.runs.at(-1);
    const newest = latest.get(kind(t));
    if (run === undefined || newest === undefined || run >= newest) return [];
    const [then, now] = [report.runs[run]!, report.runs[newest]!];
    const [its, latestCi] = [ci.get(run), ci.get(newest)];
    if ((its !== undefined && its === latestCi) || Date.parse(now.startedAt) - Date.parse(then.startedAt) < SAME_NIGHT_MS) return [];
    const later = [...kindRuns(kind(t))].filter((r) => r > run).length;
    return [{ target: t.id, run, latest: newest, days: Math.floor((Date.parse(now.startedAt) - Date.parse(then.startedAt)) / DAY_MS), later }];
  }).sort((a, b) => a.run - b.run);
}

/** A stale target in words (callers escape with `code` and `text`). */
export function staleLine(s: NonNullable<RecentChanges['stale']>[number], runs: readonly HistoryRunInfo[], code: (v: string) => string, text: (v: string) => string): string {
  const [then, now] = [runs[s.run]!, runs[s.latest]!];
  const age = s.days >= 1 ? `${s.days} day${s.days === 1 ? '' : 's'}` : 'less than a day';
  return `${text(s.target)}: not in the latest ${s.later} run${s.later === 1 ? '' : 's'}; its latest run ${code(then.id)} (${then.startedAt.slice(0, 10)}) is ${age} older than the folder's latest run ${code(now.id)} (${now.startedAt.slice(0, 10)}): its state is as of ${then.startedAt.slice(0, 10)}, not current`;
}
