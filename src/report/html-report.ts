/**
 * @module report/html-report
 * `matrix.html`: one self-contained page (no fonts, scripts or styles from the network). It opens on what matters:
 * the gate, the coverage, what fails the gate, and counts by model and by check; the grid below starts in the
 * failures-only view (rows and columns that are all green are dropped) when the run has failures. Colour and a
 * symbol per status (readable without colour), sticky headers, filters (view, target, family, check group, API,
 * status, model, check, only changes) kept in the URL, a detail drawer (observed vs expected, reason, each trial,
 * evidence) that covers no cell, the changes against a baseline, and latency. Every field from matrix.json is
 * escaped for where it goes (text, attribute, the embedded JSON); the page's CSP allows only its own script and
 * style, by hash, and no inline handlers.
 */
import { groupedChecks } from './build-matrix.ts';
import { changeSections, HEADINGS, uncomparedTargetsLine } from './compare.ts';
import { changedCheckLines } from './check-definitions.ts';
import { cellsToLookAt, coverageLine, gateLine, LOOK_AT, notAskedHere, UNOBSERVED_LABEL, type LookAtCounts } from './gate.ts';
import { shardHeading } from './gate-line.ts';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.ts';
import { cspHash, htmlText, scriptJsonPieces } from './inert-text.ts';
import { latencyRows } from './latency.ts';
import { describeProvenance, matrixTitle, skippedColumn, statusLine, usageLine } from './markdown-report.ts';
import { buildMigration, migrationHtml } from './migration.ts';
import { modelListLines, NEW_MODEL_NOTE, newModels } from './model-lists.ts';
import { newFailuresLine } from './new-failures.ts';
import { answeredAsAnother, answeredAsAnotherLine, NOTES_LISTED, unobservedPairs } from './observed-models.ts';
import { DEVIATION_MARK, STATUS_LABELS, STATUS_SYMBOLS, isKnownDeviation, pairKey, type CellChange, type Matrix, type MatrixCheck, type MatrixResult } from './matrix.ts';
import type { ReportWriter } from './report-writer.ts';

const esc = htmlText;
/** A status as a class name: only the known ones; anything else renders as inert text. */
const statusClass = (status: string) => (Object.hasOwn(STATUS_SYMBOLS, status) ? `s-${status}` : 's-unknown');
const statusSymbol = (status: string) => (Object.hasOwn(STATUS_SYMBOLS, status) ? STATUS_SYMBOLS[status as keyof typeof STATUS_SYMBOLS] : '?');
/** Cell key in the page: `|` never occurs in target, model or check ids (a NUL would not survive HTML parsing). */
const key = (r: { target: string; model: string; check: string }) => `${r.target}|${r.model}|${r.check}`;
const short = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return text.length > 14 ? `${text.slice(0, 13)}…` : text;
};

type ChangeKind = 'new failure' | 'fixed' | 'became flaky' | 'became stable' | 'no longer observed' | 'changed';
const CHANGE_MARK: Record<ChangeKind, string> = { 'new failure': '▲', fixed: '▼', 'became flaky': '≈', 'became stable': '=', 'no longer observed': '∅', changed: 'Δ' };
const KIND_OF_SECTION: Record<string, ChangeKind> = { 'New failures': 'new failure', Fixes: 'fixed', 'Became flaky': 'became flaky', 'Became stable': 'became stable', 'No longer observed': 'no longer observed', 'Changed observed values': 'changed', [HEADINGS.judgedDifferently]: 'changed' };

function changesOf(matrix: Matrix): Map<string, { kind: ChangeKind; reason: string }> {
  const out = new Map<string, { kind: ChangeKind; reason: string }>();
  if (!matrix.comparison) return out;
  for (const { title, changes } of changeSections(matrix.comparison)) changes.forEach((x: CellChange) => out.has(key(x)) || out.set(key(x), { kind: KIND_OF_SECTION[title]!, reason: x.reason }));
  return out;
}

/** Longest reason a cell's `title` holds: the drawer and matrix.json have it whole. */
const TITLE_REASON = 600;

/**
 * What a cell to look at (one that gates, or fails, errors, varies, hides the behaviour or was not sent) says in its
 * `title`: the expected value and the reason, so they can be read without the script (the drawer needs it). The
 * thousands of n/a and pass cells of a full run keep a short title: their reason is the page's bulk.
 */
function cellWhy(r: MatrixResult): string {
  if (!r.gating && !LOOK_AT.includes(r.status)) return '';
  const reason = r.reason.length > TITLE_REASON ? `${r.reason.slice(0, TITLE_REASON - 1)}…` : r.reason;
  return `; expected ${r.expected === null ? 'nothing stated' : JSON.stringify(r.expected)}; ${reason}`;
}

/** The cell at `cellKey` (its `key`): its result, if any, and its change against the baseline, if any. */
function cell(cellKey: string, r: MatrixResult | undefined, check: MatrixCheck, change: { kind: ChangeKind } | undefined): string {
  if (!r) return '<td></td>';
  const deviation = isKnownDeviation(r, check) ? ` <span class="deviation" title="known deviation: as expected, but not the reference ${esc(JSON.stringify(check.reference))}">${DEVIATION_MARK}</span>` : '';
  const observed = r.status === 'unsupported' ? 'n/a' : r.observed === null && r.status !== 'pass' && r.status !== 'fail' ? '' : short(r.observed ?? 'null');
  const mark = change ? `<span class="change" title="${esc(change.kind)}">${CHANGE_MARK[change.kind]}</span>` : '';
  const label = Object.hasOwn(STATUS_LABELS, r.status) ? STATUS_LABELS[r.status] : r.status;
  const title = `${r.model} · ${r.check}: ${label}${r.observed !== null ? `, observed ${String(r.observed)}` : ''}${cellWhy(r)}`;
  // A cell a filter or another shard took is no finding of this run: the failures view leaves it out (html-script.ts).
  // One a stop did not reach, or a merge's missing shard held, was asked for: it stays in view.
  const elsewhere = notAskedHere(r) ? ' not-run' : '';
  return `<td class="cell ${esc(statusClass(r.status))}${r.gating ? ' gating' : ''}${elsewhere}" tabindex="0" data-key="${esc(cellKey)}" data-check="${esc(r.check)}" title="${esc(title)}">${esc(statusSymbol(r.status))} ${esc(observed)}${deviation}${mark}</td>`;
}

function options(values: string[], all: string): string {
  return `<option value="">${esc(all)}</option>${values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('')}`;
}

const COUNTED = ['gating', 'fail', 'error', 'flaky', 'inconclusive', 'skipped'] as const;

/**
 * Counts of fail, error, flaky, inconclusive, skipped and gating cells per key, for the keys that have any, worst
 * first. The counts come before the key, so a long model id never scrolls them out of the box.
 */
function countsTable(title: string, filter: 'model' | 'check', rows: [string, LookAtCounts][], total: number, skipped: string): string {
  // Cells a stop did not reach (or a missing shard held) count as skipped here; the run's totals say them apart.
  const head = `<tr>${COUNTED.map((s) => `<th class="num" title="${s === 'skipped' ? esc(skipped) : s}">${s === 'gating' ? 'gating' : esc(STATUS_SYMBOLS[s])}</th>`).join('')}<th>${filter}</th></tr>`;
  const body = rows
    .map(([k, c]) => `<tr>${COUNTED.map((s) => `<td class="num">${c[s]}</td>`).join('')}<td class="key"><button type="button" class="link" data-filter="${filter}" data-value="${esc(k)}">${esc(k)}</button></td></tr>`)
    .join('');
  const none = `<p class="none">All ${total} ${filter}s clean.</p>`;
  return `<div><h2>${esc(title)} (${rows.length} of ${total})</h2><div class="box">${rows.length ? `<table>${head}${body}</table>` : none}</div></div>`;
}

/** Most cells "What fails the gate" lists; the grid outlines each that gates, and matrix.json holds them all. */
const LEAD_LISTED = 200;

/**
 * The gating cells the lead lists, in the matrix's order: the first of each failing model (of each target) before
 * the rest, so a cut list still names every model that fails.
 */
function leadCells(gating: readonly MatrixResult[]): MatrixResult[] {
  if (gating.length <= LEAD_LISTED) return [...gating];
  const firsts = new Map<string, MatrixResult>();
  for (const r of gating) if (!firsts.has(pairKey(r.target, r.model))) firsts.set(pairKey(r.target, r.model), r);
  const chosen = new Set([...firsts.values()].slice(0, LEAD_LISTED));
  for (const r of gating) {
    if (chosen.size >= LEAD_LISTED) break;
    chosen.add(r);
  }
  return gating.filter((r) => chosen.has(r));
}

/** Targets the cut line names, at most. */
const UNNAMED_TARGETS_NAMED = 5;

/**
 * Past LEAD_LISTED failing (model, target) pairs the list cannot name each: how many it leaves out, by target (a
 * region's outage is news the other targets' lines do not tell). Empty when every pair is named.
 */
function unnamedPairs(gating: readonly MatrixResult[], listed: readonly MatrixResult[]): string {
  const named = new Set(listed.map((r) => pairKey(r.target, r.model)));
  const byTarget = new Map<string, Set<string>>();
  for (const r of gating) {
    if (named.has(pairKey(r.target, r.model))) continue;
    byTarget.set(r.target, (byTarget.get(r.target) ?? new Set()).add(r.model));
  }
  if (byTarget.size === 0) return '';
  const counts = [...byTarget].map(([target, models]) => `${models.size} on ${target}`);
  const total = [...byTarget.values()].reduce((n, models) => n + models.size, 0);
  const shown = counts.length > UNNAMED_TARGETS_NAMED ? [...counts.slice(0, UNNAMED_TARGETS_NAMED), `${counts.length - UNNAMED_TARGETS_NAMED} more targets`] : counts;
  return `, among them every cell of ${total} failing (model, target) pair${total === 1 ? '' : 's'} not named above (${shown.join(', ')})`;
}

function leadSection(matrix: Matrix): string {
  const gating = matrix.results.filter((r) => r.gating);
  const listed = leadCells(gating);
  const rest = gating.length - listed.length;
  const more = rest ? `<tr><td></td><td colspan="2" class="more">... and ${rest} more cell${rest === 1 ? '' : 's'} that fail the gate, not listed here${esc(unnamedPairs(gating, listed))}: each is outlined in the grid below, and matrix.json holds them all</td></tr>` : '';
  const items =
    listed
      .map((r) => `<tr><td>${esc(statusSymbol(r.status))}</td><td><button type="button" class="link" data-key="${esc(key(r))}">${esc(r.model)} · ${esc(r.check)}</button>${matrix.targets.length > 1 ? ` <small>${esc(r.target)}</small>` : ''}</td><td class="why">${esc(r.reason)}</td></tr>`)
      .join('') + more;
  // No gating cell is no pass when the run as a whole fails (too many errors, a model with nothing observed, ...).
  // New failures since the baseline fail the run as a whole too (gate.ts): said with its problems.
  const regressed = newFailuresLine(matrix);
  const problems = [...(matrix.gate.verdict === 'pass' ? [] : matrix.gate.problems), ...(regressed ? [{ message: `${regressed} (each under Changes, below)` }] : [])];
  const runLevel = problems.length ? `<ul class="why-run">${problems.map((p) => `<li>${esc(p.message)}</li>`).join('')}</ul>` : '';
  const failing = gating.length
    ? `<div class="box">${runLevel}<table>${items}</table></div>`
    : problems.length
      ? `<div class="box"><p class="run-fails">No cell fails its stated expectation; the run as a whole fails the gate:</p>${runLevel}</div>`
      : `<div class="box"><p class="none">No cell fails its stated expectation.</p></div>`;
  const byModel = cellsToLookAt(matrix.results, (r) => r.model);
  const byCheck = cellsToLookAt(matrix.results, (r) => r.check);
  const heading = `${gating.length} cell${gating.length === 1 ? '' : 's'}${problems.length ? `, ${problems.length} run-level problem${problems.length === 1 ? '' : 's'}` : ''}`;
  const skipped = skippedColumn(matrix.results);
  return `<section id="lead"><div><h2>What fails the gate (${heading})</h2>${failing}</div>${countsTable('By model', 'model', byModel, matrix.models.length, skipped)}${countsTable('By check', 'check', byCheck, matrix.checks.length, skipped)}</section>`;
}

/** The grid of each target, with a line break between, in pieces: a family of rows at a time. */
function* grids(matrix: Matrix): Generator<string> {
  const groups = groupedChecks(matrix);
  const checks = groups.flatMap((g) => g.checks);
  const index = new Map(matrix.results.map((r) => [key(r), r]));
  const changes = changesOf(matrix);
  const families = [...new Set(matrix.models.map((m) => m.family ?? 'not in catalog'))];
  const unobserved = unobservedPairs(matrix.gate);
  for (const [i, target] of matrix.targets.entries()) {
    const head = `<thead><tr class="groups"><th class="corner model" rowspan="2">model</th>${groups.map((g) => `<th data-group="${esc(g.group)}" colspan="${g.checks.length}">${esc(g.group)}</th>`).join('')}</tr>
<tr class="checks">${checks.map((c) => `<th data-check="${esc(c.id)}" title="${esc(c.title)}"><span>${esc(c.id)}</span></th>`).join('')}</tr></thead>`;
    yield `${i ? '\n' : ''}<section class="target" data-target="${esc(target.id)}"><h2>${esc(target.id)}: ${esc(describeProvenance(target, matrix))}</h2><p class="empty hidden">No row matches the filters.</p><div class="grid-wrap"><table class="grid">${head}<tbody>`;
    for (const [f, family] of families.entries()) {
      const models = matrix.models.filter((m) => (m.family ?? 'not in catalog') === family);
      const title = models[0]?.familyTitle ?? family;
      const rows = models.map((m) => {
        // The key of each cell of the row, made once: it finds the result and the change, and is the cell's data-key.
        const cells = checks.map((c) => {
          const at = key({ target: target.id, model: m.id, check: c.id });
          return cell(at, index.get(at), c, changes.get(at));
        });
        const seen = !unobserved.has(pairKey(target.id, m.id));
        const mark = seen ? '' : ` (${UNOBSERVED_LABEL})`;
        return `<tr data-model="${esc(m.id)}" data-family="${esc(family)}"${seen ? '' : ' data-unobserved class="unobserved"'}><th class="model"${m.discovered ? ` title="${esc(NEW_MODEL_NOTE)}"` : ''}>${esc(m.id)}${m.discovered ? ' (new)' : ''}${mark}</th>${cells.join('')}</tr>`;
      });
      yield `${f ? '\n' : ''}<tr class="family" data-family="${esc(family)}"><th colspan="${checks.length + 1}">${esc(title)}</th></tr>${rows.join('\n')}`;
    }
    yield '</tbody></table></div></section>';
  }
}

function changeList(matrix: Matrix): string {
  const comparison = matrix.comparison;
  if (!comparison) return '';
  const sections = changeSections(comparison)
    .map(({ title, changes }) => `<h3>${esc(title)} (${changes.length})</h3><ul>${changes.map((c) => `<li>${esc(`${c.model} ${c.check} (${c.target}): ${c.reason}`)}</li>`).join('')}</ul>`)
    .join('');
  const uncompared = uncomparedTargetsLine(comparison);
  const redefined = changedCheckLines(comparison);
  const apart = redefined.length ? `<ul>${redefined.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>` : '';
  return `<section id="changes"><h2>Changes since run ${esc(comparison.baseline.runId)}</h2>${uncompared ? `<p><strong>${esc(uncompared)}</strong></p>` : ''}${apart}${sections}</section>`;
}

function latencySection(matrix: Matrix): string {
  const rows = latencyRows(matrix);
  if (rows.length === 0) return '';
  const body = rows.map((l) => `<tr><td>${esc(l.key)}</td><td>${esc(l.api)}</td><td>${l.n}</td><td>${esc(l.headers)}</td><td>${esc(l.firstToken)}</td><td>${esc(l.total)}</td><td>${l.recorded ? 'recorded' : 'live'}</td></tr>`).join('');
  return `<section id="latency"><h2>Latency (p50 / p95, ms)</h2><table><tr><th>target/model</th><th>API</th><th>exchanges</th><th>headers</th><th>first token</th><th>total</th><th></th></tr>${body}</table></section>`;
}

export function renderHtml(matrix: Matrix): string {
  return [...htmlPieces(matrix)].join('');
}

/** The page in pieces: the grids a target at a time and the embedded JSON a run of results at a time. */
function* htmlPieces(matrix: Matrix): Generator<string> {
  const groups = groupedChecks(matrix);
  const checks = groups.flatMap((g) => g.checks);
  const changes = changesOf(matrix);
  const families = [...new Set(matrix.models.map((m) => m.family ?? 'not in catalog'))];
  // As the failures view reads a cell (html-script.ts isBad): a cell not reached (or a missing shard's) is this run's, one a filter took is not.
  // A cell that gates is one to look at whatever its status (an n/a cell the expectations file states a value for).
  const hasBad = matrix.results.some((r) => (LOOK_AT.includes(r.status) || r.gating) && !notAskedHere(r));
  const data = {
    symbols: STATUS_SYMBOLS,
    labels: STATUS_LABELS,
    defaultView: hasBad ? 'failures' : 'all',
    checks: checks.map((c) => ({ id: c.id, title: c.title, group: c.group, api: c.api })),
    results: matrix.results.map(({ target, model, check, status, observed, expected, expectedSource, reason, evidence, gating, trials }) => ({ target, model, check, status, observed, expected, expectedSource, reason, evidence, gating, ...(trials ? { trials } : {}) })),
    changes: Object.fromEntries(changes),
    changedChecks: [...new Set([...changes.keys()].map((k) => k.split('|')[2]))],
  };
  const run = matrix.run;
  const gate = matrix.gate;
  // Models answered in another model's name that the gate did not name: a note, as on the console.
  const notes = answeredAsAnother(matrix);
  const csp = `default-src 'none'; script-src ${cspHash(HTML_SCRIPT)}; style-src ${cspHash(HTML_STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const provenance = matrix.targets.map((t) => `<strong>${esc(t.id)}</strong>: ${esc(describeProvenance(t, matrix))}`).join(' · ');
  yield `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${esc(csp)}"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(matrixTitle(matrix.targets))}${esc(shardHeading(run))} — ${esc(run.id)}</title><style>${HTML_STYLE}</style></head>
<body>
<header><h1>${esc(matrixTitle(matrix.targets))}${esc(shardHeading(run))}</h1>
<p class="gate">Gate: <span class="gate-${esc(gate.verdict)}">${esc(gateLine(gate, run))}</span></p>
<p class="coverage">Coverage: ${esc(coverageLine(matrix))}</p>
${modelListLines(matrix).length ? `<ul class="model-lists">${newModels(matrix).map((id) => `<li>${esc(`${id}: ${NEW_MODEL_NOTE}`)}</li>`).join('')}${modelListLines(matrix).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''}
${gate.problems.length ? `<ul class="problems">${gate.problems.map((p) => `<li>${esc(p.message)}</li>`).join('')}</ul>` : ''}
${notes.length ? `<ul class="notes">${notes.slice(0, NOTES_LISTED).map((n) => `<li>note: ${esc(answeredAsAnotherLine(n))}</li>`).join('')}${notes.length > NOTES_LISTED ? `<li>... and ${notes.length - NOTES_LISTED} more</li>` : ''}</ul>` : ''}
<p>${provenance}. Run ${esc(run.id)}, ${esc(run.finishedAt.slice(0, 19).replace('T', ' '))} UTC, ${(run.durationMs / 1000).toFixed(1)} s, mantle-conformance ${esc(run.harnessVersion)}${run.partial ? `, <strong>${gate.verdict === 'interrupted' ? 'interrupted' : 'partial'}</strong>: ${esc(run.partialReason ?? '')}` : ''}.
${matrix.models.length} models x ${matrix.checks.length} checks: ${esc(statusLine(matrix))}; ${esc(usageLine(matrix))}.</p>
<p class="legend">${Object.entries(STATUS_SYMBOLS).map(([s, sym]) => `<span>${sym} ${esc(STATUS_LABELS[s as keyof typeof STATUS_LABELS])}</span>`).join('')}<span>${DEVIATION_MARK} known deviation (as expected, not the reference)</span>${matrix.comparison ? '<span>▲ new failure</span><span>▼ fixed</span><span>≈ became flaky</span><span>= became stable</span><span>∅ no longer observed</span><span>Δ changed</span>' : ''}<span class="needs-js"> — click a cell for observed vs expected, the reason, each trial and the evidence.</span></p>
<noscript><p class="no-script">The filters, the cell drawer and the links of "What fails the gate" and the counts need JavaScript: without it every cell is shown, a cell's title (point at it) holds the expected value and the reason of each cell to look at, and matrix.md lists the cells to look at with their reasons (matrix.json holds every one).</p></noscript></header>
${leadSection(matrix)}
<nav class="filters needs-js">
<label>view <select id="f-view"><option value="failures">failures only</option><option value="all">all cells</option></select></label>
${matrix.targets.length > 1 ? `<label>target <select id="f-target">${options(matrix.targets.map((t) => t.id), 'all targets')}</select></label>` : ''}
<label>family <select id="f-family">${options(families, 'all families')}</select></label>
<label>group <select id="f-group">${options(groups.map((g) => g.group), 'all checks')}</select></label>
<label>API <select id="f-api">${options([...new Set(checks.map((c) => c.api).filter((a): a is string => a !== null))], 'any API')}</select></label>
<label>status <select id="f-status">${options(Object.keys(STATUS_SYMBOLS), 'any status')}</select></label>
<label>model <input id="f-model" type="search" placeholder="filter models" title="part of a model id, or =id for that id exactly"></label>
<label>check <input id="f-check" type="search" placeholder="filter checks" title="part of a check id, or =id for that id exactly"></label>
${matrix.comparison ? '<label><input id="f-changes" type="checkbox"> only changes</label>' : ''}
<span class="count" id="f-count"></span>
</nav>
<main>`;
  yield* grids(matrix);
  yield `</main>
${changeList(matrix)}
${migrationHtml(buildMigration(matrix))}
${latencySection(matrix)}
<aside id="detail" class="hidden" aria-live="polite"></aside>
<script type="application/json" id="matrix-data">`;
  yield* scriptJsonPieces(data);
  yield `</script>
<script>${HTML_SCRIPT}</script>
</body></html>
`;
}

export const htmlReport: ReportWriter = {
  name: 'html',
  render: (matrix) => [{ path: 'matrix.html', content: htmlPieces(matrix) }],
};
