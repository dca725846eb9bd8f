/**
 * @module history/latest-gate
 * The targets' latest runs whose gate failed as a whole (a model with nothing observed, too many errors, a partial
 * run): no cell carries such a failure, so without this a run whose gate said "nothing observed" would read as a
 * run with a few errors. Only files that recorded their gate say it (history-file.ts); older ones say nothing.
 */
import type { HistoryReport, HistoryRunInfo } from './history-model.ts';

export type RunProblem = NonNullable<HistoryRunInfo['gate']>['problems'][number];

/** Each target's latest run (once per run) whose gate did not pass with run-level problems, and those problems. */
export function latestGateFailures(report: Pick<HistoryReport, 'targets' | 'runs'>): { run: HistoryRunInfo; problems: RunProblem[] }[] {
  const latest = [...new Set(report.targets.flatMap((t) => (t.runs.length ? [t.runs.at(-1)!] : [])))].sort((a, b) => a - b);
  return latest.flatMap((at) => {
    const run = report.runs[at];
    const gate = run?.gate;
    return run && gate && gate.verdict !== 'pass' && gate.problems.length > 0 ? [{ run, problems: gate.problems }] : [];
  });
}

/** How many run-level problems failed the latest runs' gates (0: none, or no file recorded them). */
export function latestGateProblemCount(report: Pick<HistoryReport, 'targets' | 'runs'>): number {
  return latestGateFailures(report).reduce((n, f) => n + f.problems.length, 0);
}
