/**
 * @module history/history-digest
 * `history.md`: what changed in each target's last N runs, short enough for a PR comment or a chat message:
 * cells that error now (an error is no change point), change points with their dates (newest first; errors and runs
 * that did not have a cell are not changes), flaky cells, models that appeared or disappeared, shape drift, and latency that
 * moved. Every id and value from the files goes through the Markdown escaping of report/inert-text.ts.
 */
import { markdownCode, markdownText } from '../report/inert-text.ts';
import { describeDrift } from '../report/shape-drift.ts';
import { describeState, HARNESS_WORDS, targetWords } from './cell-history.ts';
import type { ChangePoint, HistoryReport } from './history-model.ts';
import { blindLatestRuns } from './blind-runs.ts';
import { describeErrorGroup, errorCount, errorGroups, otherErrorsLine } from './error-cells.ts';
import { changesByPriority, noLatencyShiftText } from './recent-changes.ts';
import { unfinishedRuns } from './run-info.ts';
import { latestGateFailures, latestGateProblemCount } from './latest-gate.ts';
import { latestRunAge, latestRunLines } from './latest-run-age.ts';
import { replayWords } from './replay-series.ts';
import { staleLine } from './stale-targets.ts';
import { windowGapLines } from './window-gaps.ts';

/** Lines per section; the rest is counted and left to history.html. */
const MAX_LINES = 30;
/**
 * Characters of the whole of history.md, its never-cut lines too: history.md is a PR comment, and GitHub refuses a
 * body over 65,536 characters, so a night when every cell fails (1712 cells made 250 KB), or a bad night that later
 * runs did not observe (1696 standing failures made 403 KB), must not make the comment fail. The sections share it in
 * their order (what fails the gate first); headings and cut lines are a few hundred characters past it at most.
 */
const MAX_DIGEST_CHARS = 48_000;
/**
 * Of it, each section whose failing lines the 30 lines never cut (Errors now, the gating failures not observed, Changes)
 * at most: one of them (1696 gating failures not observed) must not leave the next nothing.
 */
const MAX_SECTION_CHARS = 24_000;

/** What is left of MAX_DIGEST_CHARS for the sections still to come. */
interface Budget {
  left: number;
}

const METRIC: Record<string, string> = { firstTokenP95: 'first-token p95', totalP95: 'total p95', firstTokenP50: 'first-token p50', totalP50: 'total p50' };

/** `integer -> exponent`, each side escaped (the arrow stays readable in the raw Markdown). */
function changeMarkdown(change: ChangePoint): string {
  const [a, b] = [describeState(change.from), describeState(change.to)];
  const trials = a === b && change.from.values && change.to.values && change.from.values !== change.to.values;
  const values = trials ? markdownText(`${a} of trials ${change.from.values} -> ${b} of trials ${change.to.values}`, 300) : a === b ? `${change.from.status} ${markdownText(a, 100)} -> ${change.to.status} ${markdownText(b, 100)}` : `${markdownText(a, 100)} -> ${markdownText(b, 100)}`;
  return `${values}${change.harness ? HARNESS_WORDS[change.harness] : ''}${change.targetChanged ? markdownText(targetWords(change.targetChanged), 300) : ''}`;
}

/**
 * A section of at most MAX_LINES lines, or `keep` (the first lines, never cut by the count) when more; `count` heads
 * it. The lines shown stop within what is left of the budget (`max` at most), kept ones too (none when nothing is
 * left: the heading still counts them), and how many of the kept ones (`kept`: what they are) were cut is said.
 */
function section(title: string, lines: string[], budget: Budget, opts: { keep?: number; count?: string; max?: number; kept?: string | ((cut: number) => string) } = {}): string[] {
  if (lines.length === 0) return [];
  const { keep = 0, count = `${lines.length}`, kept = 'failing' } = opts;
  let shown = lines.slice(0, Math.max(MAX_LINES, keep));
  let used = 0;
  const room = Math.min(budget.left, opts.max ?? Infinity);
  const fit = shown.findIndex((line) => (used += line.length + 1) > room);
  if (fit >= 0) shown = shown.slice(0, fit);
  const cutKept = Math.max(0, keep - shown.length);
  const cutOther = lines.length - Math.max(shown.length, keep);
  if (cutKept) shown.push(`- ... and ${typeof kept === 'string' ? `${cutKept} more ${kept}` : kept(cutKept)}${cutOther > 0 ? ` and ${cutOther} more` : ''}: see history.html`);
  else if (lines.length > shown.length) shown.push(`- ... and ${lines.length - shown.length} more (see history.html)`);
  const out = [`### ${title} (${count})`, '', ...shown, ''];
  budget.left -= out.reduce((n, line) => n + line.length + 1, 0);
  return out;
}

/** history.md: what changed in each target's last N runs, and which of those runs did not finish. */
export function renderDigest(report: HistoryReport): string {
  const recent = report.recent;
  const runs = report.runs;
  const head = [`## Mantle conformance: what changed in the last ${recent.last} run${recent.last === 1 ? '' : 's'}`, ''];
  if (runs.length === 0) return [...head, 'The history folder holds no runs yet (`mantle-conformance run --history DIR` appends one per run).', ''].join('\n');
  const spans = recent.windows.map((w) => `${markdownCode(w.target)} ${w.runs.length} run${w.runs.length === 1 ? '' : 's'} (${runs[w.runs[0]!]!.startedAt.slice(0, 10)} to ${runs[w.runs.at(-1)!]!.startedAt.slice(0, 10)})`);
  head.push(`${spans.join(', ')}; ${runs.length} run${runs.length === 1 ? '' : 's'} in the folder since ${runs[0]!.startedAt.slice(0, 10)}.`, '');
  // When the latest run was: a night whose run appended nothing (an unreachable endpoint) must not read as current (latest-run-age.ts).
  const age = latestRunLines(latestRunAge(report)!, report.generatedAt, markdownCode, (v) => markdownText(v, 100));
  head.push(age.stale ? `**Stale:** ${age.stale}.` : `${age.said.charAt(0).toUpperCase()}${age.said.slice(1)}.`, '');
  // Replay runs since (a PR job on fixtures) do not make a live endpoint's state current.
  if (age.liveStale) head.push(`**Stale:** ${age.liveStale}.`, '');
  // A replay series observed recordings, not the endpoint on its dates (replay-series.ts): said before anything of it.
  const replayed = report.targets.filter((t) => t.replay).map((t) => `- ${markdownText(replayWords(t.id), 400)}`);
  if (replayed.length) head.push(...replayed, '');

  // Each cell once, its change points oldest first ("integer -> exponent on 2026-12-03, exponent -> integer on
  // 2026-12-05"); cells in the order of their newest change (recent-changes.ts: a cell failing its target's latest
  // run's gate first, whichever run it changed in, then newest first), and the cells failing it are never cut.
  const byCell = new Map<string, { lines: string[]; keep: boolean; gating: boolean }>();
  const { changes: ordered, keep } = changesByPriority(recent);
  ordered.forEach((c, at) => {
    const key = `${markdownCode(c.model)} ${markdownCode(c.check)} (${markdownText(c.target, 100)})`;
    const entry = byCell.get(key) ?? { lines: [], keep: false, gating: c.gating === true };
    entry.lines.unshift(`${changeMarkdown(c)} on ${c.date} (run ${markdownCode(runs[c.run]?.id ?? '?')})`);
    entry.keep ||= at < keep;
    byCell.set(key, entry);
  });
  const changes = [...byCell.entries()].map(([cell, { lines, gating, keep: kept }]) => `- ${cell}: ${lines.join(', ')}${gating ? ' (its last change fails the gate)' : kept ? " (fails the latest run's gate)" : ''}`);
  const keptCells = [...byCell.values()].filter((e) => e.keep).length;
  const changeCount = `${recent.changes.length} change${recent.changes.length === 1 ? '' : 's'} in ${byCell.size} cell${byCell.size === 1 ? '' : 's'}`;
  const flaky = recent.flaky.map((f) => `- ${markdownCode(f.model)} ${markdownCode(f.check)} (${markdownText(f.target, 100)}): flaky in ${f.flaky} of the last ${f.of} runs`);
  const models = recent.models.map((m) => `- ${markdownCode(m.model)} ${m.kind} in ${markdownText(m.target, 100)} on ${m.date}`);
  const drift = recent.drift.map((d) => `- ${markdownCode(d.drift.model)} ${markdownCode(d.drift.api)} (${markdownText(d.drift.target, 100)}) on ${d.date}: ${markdownText(describeDrift(d.drift), 600)}`);
  // A run that lost a shard or stopped early lacks cells: its "no change" is not an observation, so it is named.
  const inWindow = new Set(recent.windows.flatMap((w) => w.runs));
  const unfinished = unfinishedRuns(runs, inWindow).map(({ run, gaps }) => `- run ${markdownCode(run.id)} (${run.startedAt.slice(0, 10)}): ${markdownText(gaps.join('; '), 600)}; cells it did not run read as not run`);
  const blind = blindLatestRuns(report).map(({ target, run, why }) => `- run ${markdownCode(run.id)} (${run.startedAt.slice(0, 10)}) on ${markdownText(target, 100)}: ${markdownText(why, 600)}; its cells' older states are not current`);
  const gateFailed = latestGateFailures(report).flatMap(({ run, problems }) => problems.map((p) => `- run ${markdownCode(run.id)} (${run.startedAt.slice(0, 10)}), gate ${run.gate!.verdict}: ${markdownText(p.message, 600)}`));
  const reused = [...new Set(runs.filter((r) => r.reusedId && inWindow.has(r.index)).map((r) => r.id))].map((id) => `- ${markdownCode(id)}: other runs (runs a day or more apart, a CI run id that never changes, a CI re-run days later, or a file repeating what the run holds) carry this id; each is read as its own run (outside GitHub Actions and GitLab CI, give each run its own \`--run-id\`)`);
  const latency = recent.latency.map((l) => `- ${markdownCode(l.model)} ${markdownCode(l.api)} (${markdownText(l.target, 100)}): ${METRIC[l.metric]} ${l.ratio}x (${Math.round(l.before)} ms -> ${Math.round(l.after)} ms)`);
  // Latency not compared is said: a quiet section would read as "nothing moved".
  if (recent.latencyUncompared) latency.push(`- ${noLatencyShiftText(recent)}`);
  // Errors are no change points: the cells that error now are named here, those failing the latest gate never cut.
  const groups = errorGroups(recent.errors);
  const gatingGroups = groups.filter((g) => g.gating > 0).length;
  const errorLines = groups.map((g) => `- ${describeErrorGroup(g, runs, markdownCode, (v) => markdownText(v, 100))}`);
  // The latest runs' other errors, counted after the gating lines and never cut: a one-night outage of cells that do not gate.
  const errors = [...errorLines.slice(0, gatingGroups), ...otherErrorsLine(recent.otherErrors).map((l) => `- ${l}`), ...errorLines.slice(gatingGroups)];
  const stale = (recent.stale ?? []).map((t) => `- ${staleLine(t, runs, markdownCode, (v) => markdownText(v, 100))}`);
  // What the window did not observe is said, a standing gating failure first and never cut: no "nothing changed" of it.
  const { standing, gaps, noLonger } = windowGapLines(recent, runs, markdownCode, (v) => markdownText(v, 100));
  const budget: Budget = { left: MAX_DIGEST_CHARS - head.reduce((n, line) => n + line.length + 1, 0) };
  // The other errors' line is the last never-cut one: when any is cut, it is.
  const otherLine = otherErrorsLine(recent.otherErrors).length;
  const keptErrors = (cut: number) => (cut > otherLine ? `${cut - otherLine} more group(s) with cells failing the gate${otherLine ? ' and the other errors (counted in the heading)' : ''}` : 'the other errors (counted in the heading)');
  const body = [
    ...section('Targets not in the latest runs', stale, budget),
    ...section('Latest run observed nothing', blind, budget),
    ...section('Latest run failed its gate', gateFailed, budget),
    ...section('Errors now', errors, budget, { keep: gatingGroups + otherLine, count: errorCount(recent.errors, groups, recent.otherErrors, latestGateProblemCount(report)), max: MAX_SECTION_CHARS, kept: keptErrors }),
    ...section('Runs that did not finish', unfinished, budget),
    ...section('Run ids reused', reused, budget),
    ...section('Gating failures not observed in the window', standing.map((l) => `- ${l}`), budget, { keep: standing.length, max: MAX_SECTION_CHARS, kept: 'gating failure(s) not observed in the window' }),
    ...section('Changes', changes, budget, { keep: keptCells, count: changeCount, max: MAX_SECTION_CHARS, kept: 'failing cell(s)' }),
    // Inconclusive or skipped since an observation in the window: no change, but no longer seen (window-gaps.ts).
    ...section('No longer observed', noLonger.map((l) => `- ${l}`), budget),
    ...section('Flaky', flaky, budget),
    ...section('Models', models, budget),
    ...section('Shape drift', drift, budget),
    ...section('Latency', latency, budget, { count: `${recent.latency.length}` }),
  ];
  // "Nothing changed" is said only of what the window observed: cells it did not observe, shapes or latency it did not
  // measure, are not claimed, and are named after it (window-gaps.ts).
  const unmeasured = (what: 'shapes' | 'latency') => recent.unmeasured?.some((u) => u[what]) ?? false;
  const observedOnly = recent.unobserved?.length ? ['what ', ' observed'] : ['', ''];
  if (body.length === 0) body.push(`Nothing changed in ${observedOnly[0]}the last ${recent.last} runs${observedOnly[1]}: no status or value, no model${unmeasured('shapes') ? '' : ', no answer shape'}${unmeasured('latency') ? '' : `, no latency beyond ${'1.5x'}`}.`, '');
  return [...head, ...body, ...section('Not observed in the window', gaps.map((l) => `- ${l}`), budget)].join('\n');
}
