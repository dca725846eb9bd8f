/**
 * @module report/html-assets
 * The stylesheet and the script of matrix.html, inlined into the page so it opens from disk with no network.
 * The script renders nothing itself (the grid is server-rendered HTML); it filters rows and columns and fills the
 * detail panel from the embedded JSON when a cell is clicked.
 */

export const HTML_STYLE = `
:root { --pass:#e6f4ea; --pass-ink:#1e7e34; --fail:#fde2e1; --fail-ink:#b00020; --error:#fff3cd; --error-ink:#7a5c00;
  --unsupported:#f1f3f4; --unsupported-ink:#5f6368; --skipped:#fafafa; --skipped-ink:#80868b; --line:#dadce0;
  --flaky:#f3e8fd; --flaky-ink:#6a1b9a; --inconclusive:#e8f0fe; --inconclusive-ink:#174ea6; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #202124; background: #fff; }
header { padding: 12px 16px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0 0 6px; }
header ul { margin: 0; padding-left: 18px; }
.gate-pass { color: var(--pass-ink); font-weight: 600; } .gate-fail { color: var(--fail-ink); font-weight: 600; }
.legend span { margin-right: 12px; white-space: nowrap; }
nav.filters { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap; gap: 10px; align-items: center; padding: 8px 16px; background: #f8f9fa; border-bottom: 1px solid var(--line); }
nav.filters label { display: flex; gap: 4px; align-items: center; }
.target { padding: 8px 16px 24px; }
.target h2 { font-size: 15px; margin: 8px 0; }
.grid-wrap { overflow: auto; max-height: calc(100vh - 120px); border: 1px solid var(--line); }
table.grid { border-collapse: separate; border-spacing: 0; }
.grid th, .grid td { border-right: 1px solid var(--line); border-bottom: 1px solid var(--line); padding: 3px 6px; white-space: nowrap; }
.grid thead th { position: sticky; background: #fff; z-index: 2; }
.grid thead tr.groups th { top: 0; height: 26px; text-align: left; background: #f1f3f4; }
.grid thead tr.checks th { top: 26px; height: 150px; vertical-align: bottom; font-weight: 500; }
.grid thead tr.checks th span { writing-mode: vertical-rl; transform: rotate(180deg); font-family: ui-monospace, monospace; font-size: 12px; }
.grid th.model { position: sticky; left: 0; z-index: 1; background: #fff; text-align: left; font-family: ui-monospace, monospace; font-weight: 500; }
.grid thead th.corner { left: 0; z-index: 3; }
.grid tr.family th { position: sticky; left: 0; background: #e8eaed; text-align: left; z-index: 1; }
td.cell { cursor: pointer; font-family: ui-monospace, monospace; font-size: 12px; min-width: 44px; position: relative; }
td.cell:hover, td.cell:focus { outline: 2px solid #1a73e8; outline-offset: -2px; }
td.s-pass { background: var(--pass); color: var(--pass-ink); }
td.s-fail { background: var(--fail); color: var(--fail-ink); font-weight: 600; }
td.s-error { background: var(--error); color: var(--error-ink); font-weight: 600; }
td.s-unsupported { background: var(--unsupported); color: var(--unsupported-ink); }
td.s-skipped { background: var(--skipped); color: var(--skipped-ink); }
td.s-flaky { background: var(--flaky); color: var(--flaky-ink); font-weight: 600; }
td.s-inconclusive { background: var(--inconclusive); color: var(--inconclusive-ink); }
td.gating { box-shadow: inset 0 0 0 2px var(--fail-ink); }
td.cell .change { position: absolute; top: 0; right: 1px; font-size: 10px; }
td.dim { opacity: 0.25; }
td.cell .deviation { color: #b06000; }
.hidden { display: none !important; }
aside#detail { position: fixed; right: 0; top: 0; bottom: 0; width: min(480px, 100%); overflow: auto; background: #fff; border-left: 1px solid var(--line); box-shadow: -4px 0 12px rgba(0,0,0,.08); padding: 16px; z-index: 10; }
aside#detail h3 { margin: 0 0 8px; font-family: ui-monospace, monospace; font-size: 14px; word-break: break-all; }
aside#detail dl { display: grid; grid-template-columns: 110px 1fr; gap: 4px 8px; margin: 0 0 12px; }
aside#detail dt { color: #5f6368; } aside#detail dd { margin: 0; word-break: break-word; }
aside#detail code { font-family: ui-monospace, monospace; background: #f1f3f4; padding: 0 3px; }
aside#detail table { border-collapse: collapse; width: 100%; font-size: 12px; }
aside#detail td, aside#detail th { border: 1px solid var(--line); padding: 3px 5px; vertical-align: top; text-align: left; word-break: break-word; }
aside#detail button { float: right; }
section#changes { padding: 0 16px 24px; }
section#changes li { font-family: ui-monospace, monospace; font-size: 12px; }
`;

export const HTML_SCRIPT = `
(function () {
  const data = JSON.parse(document.getElementById('matrix-data').textContent);
  const results = new Map(data.results.map((r) => [r.target + '|' + r.model + '|' + r.check, r]));
  const changes = data.changes || {};
  const $ = (s) => document.querySelector(s);
  const $$ = (s) => Array.from(document.querySelectorAll(s));
  const text = (v) => (v === null || v === undefined ? 'null' : typeof v === 'string' ? v : JSON.stringify(v));
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const panel = $('#detail');

  function show(cell) {
    const r = results.get(cell.dataset.key);
    if (!r) return;
    const check = data.checks.find((c) => c.id === r.check) || { title: '' };
    const change = changes[cell.dataset.key];
    const rows = [
      ['status', '<span class="status">' + esc(data.symbols[r.status] + ' ' + r.status) + '</span>' + (r.gating ? ' (fails the gate)' : '')],
      ['observed', '<code class="observed">' + esc(text(r.observed)) + '</code>'],
      ['expected', '<code class="expected">' + esc(text(r.expected)) + '</code>' + (r.expectedSource ? ' <small>' + esc(r.expectedSource) + '</small>' : ' <small>no expectation stated</small>')],
      ['reason', '<span class="reason">' + esc(r.reason) + '</span>'],
      ['target', esc(r.target)],
    ];
    if (change) rows.push(['change', esc(change.kind + ': ' + change.reason)]);
    const evidence = r.evidence.length
      ? '<table class="evidence"><tr><th>request</th><th>status</th><th>request id</th><th>excerpt</th></tr>' +
        r.evidence.map((e) => '<tr><td>' + esc(e.case + ' / ' + e.step + ': ' + e.request) + '</td><td>' + esc(e.status !== undefined ? e.status : e.error || '') + '</td><td>' + esc(e.requestId || '') + '</td><td>' + esc(e.excerpt || '') + '</td></tr>').join('') + '</table>'
      : '<p>No evidence recorded.</p>';
    panel.innerHTML = '<button type="button" id="close-detail" aria-label="Close">Close</button><h3>' + esc(r.model) + '<br>' + esc(r.check) + '</h3><p>' + esc(check.title) + '</p><dl>' +
      rows.map(([k, v]) => '<dt>' + k + '</dt><dd>' + v + '</dd>').join('') + '</dl><h4>Evidence</h4>' + evidence;
    panel.classList.remove('hidden');
    $('#close-detail').addEventListener('click', () => panel.classList.add('hidden'));
  }

  document.addEventListener('click', (event) => {
    const cell = event.target.closest('td.cell');
    if (cell) show(cell);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') panel.classList.add('hidden');
    if (event.key === 'Enter' && document.activeElement && document.activeElement.matches('td.cell')) show(document.activeElement);
  });

  function apply() {
    const family = $('#f-family').value, group = $('#f-group').value, api = $('#f-api').value, status = $('#f-status').value;
    const search = $('#f-model').value.trim().toLowerCase();
    const onlyChanges = $('#f-changes') ? $('#f-changes').checked : false;
    const target = $('#f-target') ? $('#f-target').value : '';
    $$('section.target').forEach((s) => s.classList.toggle('hidden', !!target && s.dataset.target !== target));
    const visibleChecks = new Set(data.checks.filter((c) => (!group || c.group === group) && (!api || c.api === api) && (!onlyChanges || data.changedChecks.includes(c.id))).map((c) => c.id));
    $$('[data-check]').forEach((el) => el.classList.toggle('hidden', !visibleChecks.has(el.dataset.check)));
    $$('th[data-group]').forEach((th) => {
      const n = data.checks.filter((c) => c.group === th.dataset.group && visibleChecks.has(c.id)).length;
      th.colSpan = Math.max(n, 1);
      th.classList.toggle('hidden', n === 0);
    });
    $$('tr[data-model]').forEach((row) => {
      const cells = Array.from(row.querySelectorAll('td.cell')).filter((td) => visibleChecks.has(td.dataset.check));
      cells.forEach((td) => td.classList.toggle('dim', !!status && !td.classList.contains('s-' + status)));
      const matches = (!family || row.dataset.family === family) && (!search || row.dataset.model.toLowerCase().includes(search)) &&
        (!status || cells.some((td) => td.classList.contains('s-' + status))) && (!onlyChanges || cells.some((td) => changes[td.dataset.key]));
      row.classList.toggle('hidden', !matches);
    });
    $$('tr.family').forEach((tr) => {
      const rows = $$('tr[data-model][data-family="' + tr.dataset.family + '"]').filter((r) => r.closest('section') === tr.closest('section'));
      tr.classList.toggle('hidden', rows.every((r) => r.classList.contains('hidden')));
    });
  }
  $$('nav.filters select, nav.filters input').forEach((el) => el.addEventListener('input', apply));
})();
`;
