/**
 * @module history/blind-runs
 * A target's latest run that observed nothing (a typo'd `--models` id, an outage, a run stopped before its first
 * answer): every cell of it errored, was skipped or inconclusive, or was not run. Its "nothing changed" is not an
 * observation and its cells' older states are not current, so the digest and the page say so.
 */
import { OBSERVED } from '../report/observed-models.ts';
import type { HistoryReport, HistoryRunInfo } from './history-model.ts';

/** Per target whose latest run observed no cell: the target and that run. */
export function blindLatestRuns(report: Pick<HistoryReport, 'targets' | 'cells' | 'runs'>): { target: string; run: HistoryRunInfo }[] {
  const seen = new Set<string>();
  const latest = new Map(report.targets.map((t) => [t.id, t.runs.at(-1)]));
  for (const cell of report.cells) {
    const run = latest.get(cell.target);
    if (run === undefined || seen.has(cell.target)) continue;
    const segment = cell.segments.at(-1);
    if (segment && segment.to === run && segment.status !== 'absent' && OBSERVED.has(segment.status)) seen.add(cell.target);
  }
  return report.targets.flatMap((t) => {
    const run = t.runs.at(-1);
    return run === undefined || seen.has(t.id) ? [] : [{ target: t.id, run: report.runs[run]! }];
  });
}
