/**
 * @module report/html-report
 * `matrix.html`: one self-contained page (no fonts, scripts or styles from the network) with the models x checks
 * grid per target: colour and a symbol per status (readable without colour), sticky headers, filters (target,
 * family, check group, API, status, model, only changes), a detail panel with observed vs expected, the reason and
 * the evidence, and the changes against a baseline when the run had one.
 */
import { createHash } from 'node:crypto';
import { groupedChecks } from './build-matrix.ts';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.ts';
import { describeProvenance, statusLine, usageLine } from './markdown-report.ts';
import { DEVIATION_MARK, STATUS_SYMBOLS, isKnownDeviation, type CellChange, type Matrix, type MatrixCheck, type MatrixResult } from './matrix.ts';
import type { ReportWriter } from './report-writer.ts';

/** Escapes text for an HTML text node or a double- or single-quoted attribute value. */
const esc = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** A status as a class name: only the known ones; anything else (a hand-edited matrix.json) renders as inert text. */
const statusClass = (status: string) => (Object.hasOwn(STATUS_SYMBOLS, status) ? `s-${status}` : 's-unknown');
const statusSymbol = (status: string) => (Object.hasOwn(STATUS_SYMBOLS, status) ? STATUS_SYMBOLS[status as keyof typeof STATUS_SYMBOLS] : '?');
/** A CSP source for one inline element: the page runs its own script and style, nothing else (no inline handlers). */
const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
/** Cell key in the page: `|` never occurs in target, model or check ids (a NUL would not survive HTML parsing). */
const key = (r: { target: string; model: string; check: string }) => `${r.target}|${r.model}|${r.check}`;
const short = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return text.length > 14 ? `${text.slice(0, 13)}…` : text;
};

type ChangeKind = 'new failure' | 'fixed' | 'changed';
const CHANGE_MARK: Record<ChangeKind, string> = { 'new failure': '▲', fixed: '▼', changed: 'Δ' };

function changesOf(matrix: Matrix): Map<string, { kind: ChangeKind; reason: string }> {
  const out = new Map<string, { kind: ChangeKind; reason: string }>();
  const c = matrix.comparison;
  if (!c) return out;
  const add = (list: CellChange[], kind: ChangeKind) => list.forEach((x) => out.has(key(x)) || out.set(key(x), { kind, reason: x.reason }));
  add(c.newFailures, 'new failure');
  add(c.fixes, 'fixed');
  add(c.changedObserved, 'changed');
  return out;
}

function cell(r: MatrixResult | undefined, check: MatrixCheck, change: { kind: ChangeKind } | undefined): string {
  if (!r) return '<td></td>';
  const deviation = isKnownDeviation(r, check) ? ` <span class="deviation" title="known deviation: as expected, but not the reference ${esc(JSON.stringify(check.reference))}">${DEVIATION_MARK}</span>` : '';
  const observed = r.observed === null && r.status !== 'pass' && r.status !== 'fail' ? '' : short(r.observed ?? 'null');
  const mark = change ? `<span class="change" title="${esc(change.kind)}">${CHANGE_MARK[change.kind]}</span>` : '';
  const title = `${r.model} · ${r.check}: ${r.status}${r.observed !== null ? ` ${String(r.observed)}` : ''}`;
  return `<td class="cell ${esc(statusClass(r.status))}${r.gating ? ' gating' : ''}" tabindex="0" data-key="${esc(key(r))}" data-check="${esc(r.check)}" title="${esc(title)}">${esc(statusSymbol(r.status))} ${esc(observed)}${deviation}${mark}</td>`;
}

function options(values: string[], all: string): string {
  return `<option value="">${esc(all)}</option>${values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('')}`;
}

export function renderHtml(matrix: Matrix): string {
  const groups = groupedChecks(matrix);
  const checks = groups.flatMap((g) => g.checks);
  const index = new Map(matrix.results.map((r) => [key(r), r]));
  const changes = changesOf(matrix);
  const families = [...new Set(matrix.models.map((m) => m.family ?? 'not in catalog'))];
  const sections = matrix.targets.map((target) => {
    const head = `<thead><tr class="groups"><th class="corner model" rowspan="2">model</th>${groups.map((g) => `<th data-group="${esc(g.group)}" colspan="${g.checks.length}">${esc(g.group)}</th>`).join('')}</tr>
<tr class="checks">${checks.map((c) => `<th data-check="${esc(c.id)}" title="${esc(c.title)}"><span>${esc(c.id)}</span></th>`).join('')}</tr></thead>`;
    const body = families
      .map((family) => {
        const models = matrix.models.filter((m) => (m.family ?? 'not in catalog') === family);
        const title = models[0]?.familyTitle ?? family;
        const rows = models.map(
          (m) =>
            `<tr data-model="${esc(m.id)}" data-family="${esc(family)}"><th class="model">${esc(m.id)}</th>${checks.map((c) => cell(index.get(key({ target: target.id, model: m.id, check: c.id })), c, changes.get(key({ target: target.id, model: m.id, check: c.id })))).join('')}</tr>`,
        );
        return `<tr class="family" data-family="${esc(family)}"><th colspan="${checks.length + 1}">${esc(title)}</th></tr>${rows.join('\n')}`;
      })
      .join('\n');
    return `<section class="target" data-target="${esc(target.id)}"><h2>${esc(target.id)}: ${esc(describeProvenance(target))}</h2><div class="grid-wrap"><table class="grid">${head}<tbody>${body}</tbody></table></div></section>`;
  });
  const data = {
    symbols: STATUS_SYMBOLS,
    checks: checks.map((c) => ({ id: c.id, title: c.title, group: c.group, api: c.api })),
    results: matrix.results.map(({ target, model, check, status, observed, expected, expectedSource, reason, evidence, gating }) => ({ target, model, check, status, observed, expected, expectedSource, reason, evidence, gating })),
    changes: Object.fromEntries(changes),
    changedChecks: [...new Set([...changes.keys()].map((k) => k.split('|')[2]))],
  };
  const comparison = matrix.comparison;
  const changeList = comparison
    ? `<section id="changes"><h2>Changes since run ${esc(comparison.baseline.runId)}</h2>${(
        [
          ['New failures', comparison.newFailures],
          ['Fixes', comparison.fixes],
          ['Changed observed values', comparison.changedObserved],
        ] as const
      )
        .map(([title, list]) => `<h3>${title} (${list.length})</h3><ul>${list.map((c) => `<li>${esc(`${c.model} ${c.check} (${c.target}): ${c.reason}`)}</li>`).join('')}</ul>`)
        .join('')}</section>`
    : '';
  const run = matrix.run;
  const csp = `default-src 'none'; script-src ${cspHash(HTML_SCRIPT)}; style-src ${cspHash(HTML_STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${esc(csp)}"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mantle compatibility matrix — ${esc(run.id)}</title><style>${HTML_STYLE}</style></head>
<body>
<header><h1>Mantle compatibility matrix</h1><ul>
${matrix.targets.map((t) => `<li><strong>${esc(t.id)}</strong>: ${esc(describeProvenance(t))}</li>`).join('')}
<li>Run ${esc(run.id)}, ${esc(run.finishedAt.slice(0, 19).replace('T', ' '))} UTC, ${(run.durationMs / 1000).toFixed(1)} s, mantle-conformance ${esc(run.harnessVersion)}${run.partial ? `, <strong>partial</strong>: ${esc(run.partialReason ?? '')}` : ''}</li>
<li>${matrix.models.length} models x ${matrix.checks.length} checks: ${esc(statusLine(matrix.totals.byStatus))}; ${esc(usageLine(matrix))}</li>
<li>Gate: <span class="${matrix.gate.exitCode === 0 ? 'gate-pass' : 'gate-fail'}">${matrix.gate.exitCode === 0 ? 'pass (exit 0)' : `fail (exit 1), ${matrix.gate.gating.length} result(s) outlined in red`}</span></li>
</ul><p class="legend">${Object.entries(STATUS_SYMBOLS).map(([s, sym]) => `<span>${sym} ${s}</span>`).join('')}<span>${DEVIATION_MARK} known deviation (as expected, not the reference)</span>${comparison ? '<span>▲ new failure</span><span>▼ fixed</span><span>Δ changed</span>' : ''} — click a cell for observed vs expected, the reason and the evidence.</p></header>
<nav class="filters">
${matrix.targets.length > 1 ? `<label>target <select id="f-target">${options(matrix.targets.map((t) => t.id), 'all targets')}</select></label>` : ''}
<label>family <select id="f-family">${options(families, 'all families')}</select></label>
<label>group <select id="f-group">${options(groups.map((g) => g.group), 'all checks')}</select></label>
<label>API <select id="f-api">${options([...new Set(checks.map((c) => c.api).filter((a): a is string => a !== null))], 'any API')}</select></label>
<label>status <select id="f-status">${options(Object.keys(STATUS_SYMBOLS), 'any status')}</select></label>
<label>model <input id="f-model" type="search" placeholder="filter models"></label>
${comparison ? '<label><input id="f-changes" type="checkbox"> only changes</label>' : ''}
</nav>
<main>${sections.join('\n')}</main>
${changeList}
<aside id="detail" class="hidden" aria-live="polite"></aside>
<script type="application/json" id="matrix-data">${JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}</script>
<script>${HTML_SCRIPT}</script>
</body></html>
`;
}

export const htmlReport: ReportWriter = {
  name: 'html',
  render: (matrix) => [{ path: 'matrix.html', content: renderHtml(matrix) }],
};
