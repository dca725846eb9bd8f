/**
 * @module history/blind-runs
 * A target's latest run that observed nothing (a typo'd `--models` id, an outage, a lost shard, a run stopped before
 * its first answer): every cell of it errored, was skipped or inconclusive, was not run, or was of a model its gate
 * found nothing of observed (a typo'd id's "not listed" is no observation of it). Its "nothing changed" is not an
 * observation and its cells' older states are not current, so the digest and the page say so, with the likeliest
 * cause the files show.
 */
import { OBSERVED } from '../report/observed-models.ts';
import type { HistoryReport, HistoryRunInfo } from './history-model.ts';
import { unobservedIn } from './model-history.ts';

/** Per target whose latest run observed no cell: the target, that run, and why in plain words (callers escape it). */
export function blindLatestRuns(report: Pick<HistoryReport, 'targets' | 'cells' | 'runs'>): { target: string; run: HistoryRunInfo; why: string }[] {
  const seen = new Set<string>();
  const latest = new Map(report.targets.map((t) => [t.id, t.runs.at(-1)]));
  for (const cell of report.cells) {
    const run = latest.get(cell.target);
    if (run === undefined || seen.has(cell.target)) continue;
    const segment = cell.segments.at(-1);
    if (segment && segment.to === run && segment.status !== 'absent' && OBSERVED.has(segment.status) && !unobservedIn(report.runs[run], cell.target, cell.model)) seen.add(cell.target);
  }
  return report.targets.flatMap((t) => {
    const at = t.runs.at(-1);
    if (at === undefined || seen.has(t.id)) return [];
    const run = report.runs[at]!;
    return [{ target: t.id, run, why: whyBlind(run, t.id) }];
  });
}

/** The cause the run's files show: a shard no file holds, an early stop, models its gate found nothing of; else a guess. */
function whyBlind(run: HistoryRunInfo, target: string): string {
  const shards = run.shards?.find((s) => s.target === target && s.missing.length > 0);
  if (shards) return `shard ${shards.missing.join(', ')} is missing, and the shard${shards.seen.length === 1 ? '' : 's'} read (${shards.seen.join(', ')}) observed nothing of ${target}`;
  if (run.interrupted || run.partial) return `every cell errored, was skipped or not run: the run stopped early (${run.interrupted ? 'interrupted' : 'partial'})`;
  // A spent gateway budget refused what was asked: no id to doubt.
  if ((run.gate?.problems ?? []).some((p) => p.kind === 'budget-exceeded')) return 'a spend budget on the gateway was spent: what it refused was not observed (HARNESS_BUDGET_EXCEEDED)';
  const unobserved = (run.gate?.problems ?? []).filter((p) => p.kind === 'unobserved-model' && p.target === target && p.model !== undefined);
  if (unobserved.length) {
    const names = unobserved.slice(0, 5).map((p) => p.model).join(', ');
    return `its gate found nothing observed of ${names}${unobserved.length > 5 ? ` and ${unobserved.length - 5} more` : ''} (is the id right?)`;
  }
  return 'every cell errored, was skipped or not run (a model id the endpoint does not know, an outage)';
}
