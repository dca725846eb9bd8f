/**
 * @module history/history-html
 * `history.html`: one self-contained page (opens from disk, no network). It leads with what changed in each target's
 * last N runs (change points with dates, flaky cells, models, shape drift, latency), then a latency chart per
 * (target, model, API) drawn by uPlot, then every (target, model, check) with a strip of its statuses across runs,
 * filtered like matrix.html (target, group, API, status, model, check, only cells that changed or were flaky), and
 * models appearing and disappearing. As matrix.html: every field is escaped for where it goes, and the CSP runs
 * only the page's own scripts and stylesheet, by hash, with no inline handlers.
 */
import { cspHash, htmlText, scriptJson } from '../report/inert-text.ts';
import { STATUS_LABELS, STATUS_SYMBOLS } from '../report/matrix.ts';
import { describeDrift } from '../report/shape-drift.ts';
import type { HistoryReport } from './history-model.ts';
import { HISTORY_SCRIPT } from './history-script.ts';
import { HISTORY_STYLE } from './history-style.ts';
import { blindLatestRuns } from './blind-runs.ts';
import { replayWords } from './replay-series.ts';
import { staleLine } from './stale-targets.ts';
import { latestRunAge, latestRunLines } from './latest-run-age.ts';
import { windowGapLines } from './window-gaps.ts';
import { latestGateFailures, latestGateProblemCount } from './latest-gate.ts';
import { describeErrorGroup, errorCount, errorGroups, otherErrorsLine } from './error-cells.ts';
import { changesByPriority, noLatencyShiftText } from './recent-changes.ts';
import { runGaps, unfinishedRuns } from './run-info.ts';

const esc = htmlText;

/** Lines shown per list of the recent changes; the rest is counted. */
const MAX_ITEMS = 200;
const METRIC: Record<string, string> = { firstTokenP95: 'first-token p95', totalP95: 'total p95', firstTokenP50: 'first-token p50', totalP50: 'total p50' };

/** The page's data: ids and states interned, each cell's segments flat (`from, to, state` ...). */
export function pageData(report: HistoryReport): unknown {
  const targets = new Map(report.targets.map((t, i) => [t.id, i]));
  const models = [...new Set([...report.cells.map((c) => c.model), ...report.latency.map((l) => l.model)])].sort();
  const modelIndex = new Map(models.map((m, i) => [m, i]));
  const checkIndex = new Map(report.checks.map((c, i) => [c.id, i]));
  const states: [string, unknown][] = [];
  const stateIndex = new Map<string, number>();
  const state = (status: string, observed: unknown) => {
    const key = `${status}\u0000${JSON.stringify(observed)}`;
    let at = stateIndex.get(key);
    if (at === undefined) stateIndex.set(key, (at = states.push([status, observed]) - 1));
    return at;
  };
  // A latest run that observed nothing shows its cells as they were in it (errors, not run), never older states.
  const blind = new Set(blindLatestRuns(report).map((b) => b.run.index));
  return {
    symbols: STATUS_SYMBOLS,
    // Third: 1 when the run selected part of the catalog or checks, finished and observed something (see the script's `now`).
    runs: report.runs.map((r) => [r.id, r.startedAt, r.filtered && runGaps(r).length === 0 && !blind.has(r.index) ? 1 : 0]),
    targets: report.targets,
    models,
    checks: report.checks,
    // Seventh, when any: the change points the harness may have made (run, 1 changed / 0 not known), and those whose
    // target stood for another endpoint (run, 2), labelled as history.md labels them.
    cells: report.cells.map((c) => {
      const harness = c.changes.flatMap((x) => [...(x.harness ? [x.run, x.harness === 'changed' ? 1 : 0] : []), ...(x.targetChanged ? [x.run, 2] : [])]);
      return [targets.get(c.target), modelIndex.get(c.model), checkIndex.get(c.check), c.flaky, c.runs, c.segments.flatMap((s) => [s.from, s.to, state(s.status, s.observed)]), ...(harness.length ? [harness] : [])];
    }),
    states,
    latency: report.latency.map(({ target, model, ...rest }) => ({ t: targets.get(target), m: modelIndex.get(model), ...rest })),
    defaultChanged: report.cells.some((c) => c.changes.length > 0 || c.flaky > 0),
  };
}

/** Whether some cell's target did not run it in its latest run (the status filter then offers "not run"). */
const notRunNow = (report: HistoryReport) => report.cells.some((c) => c.segments.at(-1)?.status === 'absent');

/** At most MAX_ITEMS items, or the first `keep` (never cut) when more. */
function list(items: string[], none: string, keep = 0): string {
  if (items.length === 0) return `<p class="none">${esc(none)}</p>`;
  const max = Math.max(MAX_ITEMS, keep);
  const shown = items.slice(0, max).map((item) => `<li>${item}</li>`);
  if (items.length > max) shown.push(`<li>... and ${items.length - max} more (history.json)</li>`);
  return `<ul>${shown.join('')}</ul>`;
}

function recentSection(report: HistoryReport): string {
  const r = report.recent;
  const run = (i: number) => report.runs[i]?.id ?? '?';
  // Newest first, a target's latest gating failures leading and never cut (recent-changes.ts).
  const { changes: ordered, keep } = changesByPriority(r);
  const changes = ordered.map((c) => `${esc(c.model)} ${esc(c.check)} (${esc(c.target)}): <span class="change">${esc(c.text)}</span> on ${esc(c.date)} <span class="muted">run ${esc(run(c.run))}</span>${c.gating ? ' (fails the gate)' : ''}`);
  const cells = new Set(r.changes.map((c) => `${c.target}\u0000${c.model}\u0000${c.check}`)).size;
  const flaky = r.flaky.map((f) => `${esc(f.model)} ${esc(f.check)} (${esc(f.target)}): flaky in ${f.flaky} of the last ${f.of} runs`);
  const models = r.models.map((m) => `${esc(m.model)} ${esc(m.kind)} in ${esc(m.target)} on ${esc(m.date)}`);
  const drift = r.drift.map((d) => `${esc(d.drift.model)} ${esc(d.drift.api)} (${esc(d.drift.target)}) on ${esc(d.date)}: ${esc(describeDrift(d.drift))}`);
  const latency = r.latency.map((l) => `${esc(l.model)} ${esc(l.api)} (${esc(l.target)}): ${esc(METRIC[l.metric])} ${l.ratio}x (${Math.round(l.before)} ms -> ${Math.round(l.after)} ms)`);
  const box = (title: string, items: string[], none: string, count = `${items.length}`, kept = 0) => `<div><h3>${esc(title)} (${esc(count)})</h3>${list(items, none, kept)}</div>`;
  const changeCount = `${changes.length} change${changes.length === 1 ? '' : 's'} in ${cells} cell${cells === 1 ? '' : 's'}`;
  return `<section id="recent"><h2>What changed in each target's last ${r.last} runs</h2><p class="muted">A change is measured between runs that observed the cell: errors and runs that did not have it are shown in the strips, not counted as changes.</p><div class="cols">
${box('Changes', changes, 'No cell changed.', changeCount, keep)}${box('No longer observed', windowGapLines(r, report.runs, esc, esc).noLonger, 'No cell the window observed is inconclusive or skipped since.')}${box('Flaky', flaky, 'No cell was flaky.')}${box('Models', models, 'No model appeared or disappeared.')}${box('Shape drift', drift, r.unmeasured?.some((u) => u.shapes) ? 'No answer changed shape of those measured; some targets measured none in the window (Read with care).' : 'No answer changed shape.')}${box('Latency', r.latencyUncompared ? [...latency, esc(noLatencyShiftText(r))] : latency, noLatencyShiftText(r), `${latency.length}`)}</div></section>`;
}

function modelsSection(report: HistoryReport): string {
  const moved = report.models.filter((m) => m.events.length > 0);
  const rows = moved.map((m) => `<tr><td>${esc(m.target)}</td><td>${esc(m.model)}</td><td>${m.events.map((e) => `${esc(e.kind)} ${esc(e.date)}`).join(', ')}</td></tr>`);
  const body = rows.length ? `<table><tr><th>target</th><th>model</th><th>events</th></tr>${rows.join('')}</table>` : '<p>Every model answered in every run that had it.</p>';
  return `<section id="models"><h2>Models appearing and disappearing (${moved.length})</h2>${body}</section>`;
}

function driftSection(report: HistoryReport): string {
  const events = [...report.drift].reverse();
  const items = events.map((d) => `${esc(d.date)} ${esc(d.drift.model)} ${esc(d.drift.api)} (${esc(d.drift.target)}): ${esc(describeDrift(d.drift))}`);
  return `<section id="drift"><h2>Shape drift, newest first (${events.length})</h2>${list(items, 'The answers kept their shape in every run.')}</section>`;
}

/** Latest runs that observed nothing, and run ids reused far apart; nothing when there are none. */
function warningsSection(report: HistoryReport): string {
  const blind = blindLatestRuns(report).map(({ target, run, why }) => `run ${esc(run.id)} (${esc(run.startedAt.slice(0, 10))}) on ${esc(target)}: ${esc(why)}; "now" shows that run, not older states`);
  const inWindow = new Set(report.recent.windows.flatMap((w) => w.runs));
  const reused = [...new Set(report.runs.filter((r) => r.reusedId && inWindow.has(r.index)).map((r) => r.id))].map((id) => `run id ${esc(id)}: other runs (runs a day or more apart, a CI run id that never changes, a CI re-run days later, or a file repeating what the run holds) carry it; each is read as its own run (outside GitHub Actions and GitLab CI, give each run its own --run-id)`);
  const gate = latestGateFailures(report).flatMap(({ run, problems }) => problems.map((p) => `run ${esc(run.id)} (${esc(run.startedAt.slice(0, 10))}) failed its gate (${esc(run.gate!.verdict)}): ${esc(p.message)}`));
  // The folder's latest run clearly stale (no run appended since: latest-run-age.ts) leads the stale lines, never cut.
  const age = latestRunAge(report);
  const lines = age ? latestRunLines(age, report.generatedAt, esc) : undefined;
  const stale = [...[lines?.stale, lines?.liveStale].filter((l): l is string => l !== undefined), ...(report.recent.stale ?? []).map((t) => staleLine(t, report.runs, esc, esc))];
  const replayed = report.targets.filter((t) => t.replay).map((t) => esc(replayWords(t.id)));
  const { standing, gaps } = windowGapLines(report.recent, report.runs, esc, esc);
  const items = [...gate, ...stale, ...blind, ...standing, ...gaps, ...replayed, ...reused];
  return items.length ? `<section id="warnings"><h2>Read with care (${items.length})</h2>${list(items, '', gate.length + stale.length + blind.length + (report.recent.standing?.length ?? 0))}</section>` : '';
}

/** The cells that error now (errors are no change points), those failing the latest run's gate never cut; nothing when none do. */
function errorsSection(report: HistoryReport): string {
  const groups = errorGroups(report.recent.errors);
  const others = otherErrorsLine(report.recent.otherErrors).map(esc);
  if (groups.length === 0 && others.length === 0) return '';
  const gating = groups.filter((g) => g.gating > 0).length;
  const lines = groups.map((g) => describeErrorGroup(g, report.runs, esc, esc));
  const items = [...lines.slice(0, gating), ...others, ...lines.slice(gating)];
  return `<section id="errors"><h2>Errors now (${esc(errorCount(report.recent.errors, groups, report.recent.otherErrors, latestGateProblemCount(report)))})</h2><p>An error observed nothing, so it is no change; these cells errored in the latest run that had them and failed its gate, or errored in each of their last runs.</p>${list(items, '', gating + others.length)}</section>`;
}

/** The runs that did not finish whole, newest first; nothing when every run did (the page is then as it was). */
function unfinishedSection(report: HistoryReport): string {
  const runs = unfinishedRuns(report.runs).reverse();
  if (runs.length === 0) return '';
  const items = runs.map(({ run, gaps }) => `run ${esc(run.id)} (${esc(run.startedAt.slice(0, 10))}): ${esc(gaps.join('; '))}`);
  return `<section id="unfinished"><h2>Runs that did not finish (${runs.length})</h2><p>Their cells not run show as not run (white in a strip, "not run" now), not as an earlier run's state.</p>${list(items, '')}</section>`;
}

/** history.html: the whole page, self-contained (uPlot inlined), its scripts and style allowed by hash only. */
export function renderHistoryHtml(report: HistoryReport, uplot: { script: string; style: string }): string {
  const style = `${uplot.style}\n${HISTORY_STYLE}`;
  const csp = `default-src 'none'; script-src ${cspHash(uplot.script)} ${cspHash(HISTORY_SCRIPT)}; style-src ${cspHash(style)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const runs = report.runs;
  const span = runs.length ? `${runs.length} runs from ${runs[0]!.startedAt.slice(0, 10)} to ${runs.at(-1)!.startedAt.slice(0, 10)}` : 'no runs yet';
  const groups = [...new Set(report.checks.map((c) => c.group))];
  const apis = [...new Set(report.checks.map((c) => c.api).filter((a): a is string => a !== null))];
  const options = (values: string[], all: string) => `<option value="">${esc(all)}</option>${values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('')}`;
  const legend = [...Object.keys(STATUS_SYMBOLS), 'absent'].map((s) => `<span><i class="s-${esc(s)}"></i>${esc(s === 'absent' ? 'not run' : STATUS_LABELS[s as keyof typeof STATUS_LABELS])}</span>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${esc(csp)}"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mantle conformance history</title><style>${style}</style></head>
<body>
<header><h1>Mantle conformance history</h1>
<p>${esc(span)}; targets ${report.targets.map((t) => `<strong>${esc(t.id)}</strong> (${t.runs.length} runs)`).join(', ')}; ${report.cells.length} cells. Generated ${esc(report.generatedAt.slice(0, 19).replace('T', ' '))} UTC.</p>
<p class="legend">${legend} — a strip is a cell's status in each of its target's runs, oldest left; point at it for the run, click a row for its change points.</p></header>
${warningsSection(report)}${errorsSection(report)}${unfinishedSection(report)}${recentSection(report)}
<section id="latency"><h2>Latency per run (ms)</h2><div class="controls"><label>target <select id="l-target"></select></label><label>model <select id="l-model"></select></label><label>API <select id="l-api"></select></label></div><div id="latency-chart" class="chart"></div></section>
<nav class="filters">
<label>target <select id="f-target">${options(report.targets.map((t) => t.id), 'all targets')}</select></label>
<label>group <select id="f-group">${options(groups, 'all checks')}</select></label>
<label>API <select id="f-api">${options(apis, 'any API')}</select></label>
<label>status now <select id="f-status">${options(Object.keys(STATUS_SYMBOLS), 'any status')}${notRunNow(report) ? '<option value="absent">not run</option>' : ''}</select></label>
<label>model <input id="f-model" type="search" placeholder="filter models"></label>
<label>check <input id="f-check" type="search" placeholder="filter checks"></label>
<label><input id="f-changed" type="checkbox"> only cells that changed or were flaky</label>
<span class="count muted" id="f-count"></span>
</nav>
<section id="cells"><table><thead><tr><th>target</th><th>model</th><th>check</th><th>runs (oldest left)</th><th>now</th><th>changes</th><th>flaky</th></tr></thead><tbody id="cell-rows"></tbody></table><button type="button" id="more">show more</button></section>
${modelsSection(report)}
${driftSection(report)}
<aside id="detail" class="hidden" aria-live="polite"></aside>
<script type="application/json" id="history-data">${scriptJson(pageData(report))}</script>
<script>${uplot.script}</script>
<script>${HISTORY_SCRIPT}</script>
</body></html>
`;
}
