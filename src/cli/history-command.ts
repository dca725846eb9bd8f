/**
 * @module cli/history-command
 * `mantle-conformance history DIR`: reads every run file of a history folder (validated; a bad one is exit 2 naming
 * it), and writes history.json, history.html and history.md (the digest of each target's last N runs) into the
 * report folder. History never gates: exit 0 when the files are written.
 */
import { HarnessError } from '../errors.ts';
import { HistoryBuilder } from '../history/build-history.ts';
import { renderDigest } from '../history/history-digest.ts';
import { renderHistoryHtml } from '../history/history-html.ts';
import { listRunFiles } from '../history/read-history.ts';
import { readHistory } from '../history/read-pool.ts';
import { changesByPriority } from '../history/recent-changes.ts';
import { blindLatestRuns } from '../history/blind-runs.ts';
import { staleLine } from '../history/stale-targets.ts';
import { errorCount, errorGroups } from '../history/error-cells.ts';
import { latestGateFailures, latestGateProblemCount } from '../history/latest-gate.ts';
import { latestRunAge, latestRunLines } from '../history/latest-run-age.ts';
import { uplotAssets } from '../history/uplot-asset.ts';
import { inertLine, modelIdLine } from '../report/inert-text.ts';
import { printedPaths } from './printed-path.ts';
import { writeReportFiles } from '../report/report-writer.ts';
import { refuseForeignHistoryFiles } from './history-reports.ts';
import { HISTORY_LAST, intFlag } from './run-options.ts';

/** Console lines naming a gating failure not observed in the window; past them, one line counts the rest. */
const MAX_STANDING_LINES = 5;

export async function historyCommand(dir: string, flags: { reportDir: string; last?: string }, out: NodeJS.WritableStream): Promise<number> {
  const last = intFlag('--last', flags.last, HISTORY_LAST.default, HISTORY_LAST.range);
  // Before anything is read: a project's own history.md in the folder is refused, not replaced.
  await refuseForeignHistoryFiles(flags.reportDir);
  const { names, skipped } = await listRunFiles(dir);
  for (const name of skipped) out.write(`skipped ${inertLine(name, 300)}: not a regular file (a symbolic link or a folder is never followed); copy the run file into ${inertLine(dir, 300)} to read it\n`);
  if (names.length === 0) throw new HarnessError('HARNESS_FILE_NOT_FOUND', `history: ${inertLine(dir, 300)} holds no run files (*.run.json.gz, or *.run.json unpacked); append runs with \`mantle-conformance run --history ${inertLine(dir, 300)}\``);
  const builder = new HistoryBuilder();
  const threads = await readHistory(dir, names, builder);
  const report = builder.build({ last });
  const written = await writeReportFiles(flags.reportDir, [
    { path: 'history.json', content: `${JSON.stringify(report)}\n` },
    { path: 'history.html', content: renderHistoryHtml(report, await uplotAssets()) },
    { path: 'history.md', content: renderDigest(report) },
  ]);
  const r = report.recent;
  const changedCells = new Set(r.changes.map((c) => `${c.target}\u0000${c.model}\u0000${c.check}`)).size;
  // The cells that changed in the window and fail the latest run's gate, whichever run they changed in (history.md never cuts them).
  const gating = changesByPriority(r).keep;
  // As history.md and history.html say it: of the runs in the window.
  const inWindow = new Set(r.windows.flatMap((w) => w.runs));
  for (const id of new Set(report.runs.filter((run) => run.reusedId && inWindow.has(run.index)).map((run) => run.id))) {
    out.write(`warning: run id ${inertLine(id, 200)} was reused by other runs (runs a day or more apart, a CI run id that never changes, a CI re-run days later, or a file repeating what the run holds: outside GitHub Actions and GitLab CI a re-run cannot be told from the next run): each is read as its own run (outside GitHub Actions and GitLab CI, give each run its own --run-id)\n`);
  }
  const errorGroupList = errorGroups(r.errors);
  const runProblems = latestGateProblemCount(report);
  for (const { run, problems } of latestGateFailures(report)) out.write(`warning: the latest run ${inertLine(run.id, 200)} failed its gate: ${inertLine(problems[0]!.message, 300)}${problems.length > 1 ? ` (and ${problems.length - 1} more: history.md)` : ''}\n`);
  if (r.errors.length || r.otherErrors) out.write(`warning: cells error now: ${errorCount(r.errors, errorGroupList, r.otherErrors, runProblems)} (history.md, "Errors now")\n`);
  // When the latest run was, as history.md says it; a warning when it is stale (no run appended since), never an exit code.
  const latestAge = latestRunAge(report);
  const age = latestAge ? latestRunLines(latestAge, report.generatedAt, (v) => inertLine(v, 200)) : undefined;
  if (age?.stale) out.write(`warning: ${age.stale} (history.md)\n`);
  if (age?.liveStale) out.write(`warning: ${age.liveStale} (history.md)\n`);
  for (const stale of r.stale ?? []) out.write(`warning: target ${inertLine(staleLine(stale, report.runs, (v) => v, (v) => v), 600)} (history.md)\n`);
  // Only a cell the window planned stands (window-gaps.ts): a model gone from the catalog does not warn every night.
  // The first few by name, the rest counted: a bad night that later runs did not observe made 1696 lines.
  const standing = r.standing ?? [];
  for (const s of standing.slice(0, MAX_STANDING_LINES)) out.write(`warning: ${modelIdLine(s.model)} ${inertLine(s.check, 200)} (${inertLine(s.target, 200)}) failed the gate in ${inertLine(report.runs[s.run]?.id ?? '?', 200)}, its last observation: the last ${last} runs planned it and did not observe it (history.md)\n`);
  if (standing.length > MAX_STANDING_LINES) out.write(`warning: and ${standing.length - MAX_STANDING_LINES} more cell(s) that failed the gate in their last observation, planned and not observed by the last ${last} runs (history.md, "Gating failures not observed in the window"; history.html)\n`);
  // One line for them all: a nightly of reasoning models has many cells inconclusive since (history.md lists them).
  const noLonger = r.noLongerObserved?.length ?? 0;
  if (noLonger) out.write(`no longer observed: ${noLonger} cell(s) observed in the last ${last} runs are inconclusive or skipped since (history.md, "No longer observed")\n`);
  for (const { target, run, why } of blindLatestRuns(report)) out.write(`warning: the latest run ${inertLine(run.id, 200)} observed nothing on ${inertLine(target, 200)} (${inertLine(why, 600)})\n`);
  // As history.md says it: replay series apart from the targets, and no "0 shape drift(s)" of a window that measured none.
  const replays = report.targets.filter((t) => t.replay).length;
  const measured = (what: 'shapes' | 'latency', counted: string, none: string) => {
    const without = r.unmeasured?.filter((u) => u[what]).length ?? 0;
    return without > 0 && without === r.windows.length ? none : `${counted}${without ? ` (${without} target(s) measured ${what === 'shapes' ? 'no answer shape' : 'no latency'} in the window)` : ''}`;
  };
  const unobserved = (r.unobserved ?? []).reduce((n, u) => n + u.cells, 0);
  out.write(
    `read ${names.length} run file(s): ${report.runs.length} run(s), ${report.targets.length - replays} target(s)${replays ? ` plus ${replays} replay series` : ''}, ${report.cells.length} cells${threads ? ` (read on ${threads} threads)` : ''}\n` +
      `last ${last} runs per target: ${r.changes.length} change(s) in ${changedCells} cell(s)${gating ? ` (${gating} cell(s) failing the latest run's gate)` : ''}${unobserved ? ` of what they observed (${unobserved} cell(s) observed before not observed in them)` : ''}, ${r.flaky.length} flaky cell(s), ${r.models.length} model event(s), ${measured('shapes', `${r.drift.length} shape drift(s)`, 'no answer shape measured in the window')}, ${measured('latency', `${r.latency.length} latency shift(s)`, 'no latency measured in the window')}${r.latencyUncompared ? ` (latency not compared for ${r.latencyUncompared} (target, model, API): fewer than ${last + 1} comparable runs)` : ''}\n` +
      (age ? `${age.said}\n` : '') +
      `wrote ${printedPaths(written)}\n`,
  );
  return 0;
}
