/**
 * @module report/html-script
 * The script of matrix.html. It renders nothing from the data as markup without escaping it (the grid is
 * server-rendered HTML; the detail panel escapes every field); it filters rows and columns, keeps the filter state
 * in the URL's fragment (a view can be shared as a link), opens on the failures-only view when the run has
 * failures, and shows a cell's detail in a drawer the page makes room for, so the drawer covers no cell.
 */
import { FLATTEN_SCRIPT } from './inert-text.ts';

export const HTML_SCRIPT = `
(function () {
  // The filters and the drawer work from here on: the page shows them (without the script they would claim a view).
  document.documentElement.classList.add('js');
  const data = JSON.parse(document.getElementById('matrix-data').textContent);
  const results = new Map(data.results.map((r) => [r.target + '|' + r.model + '|' + r.check, r]));
  const changes = data.changes || {};
  const $ = (s) => document.querySelector(s);
  const $$ = (s, root) => Array.from((root || document).querySelectorAll(s));
  const text = (v) => (v === null || v === undefined ? 'null' : typeof v === 'string' ? v : JSON.stringify(v));
  // Endpoint text flattened as the server-rendered grid's (inert-text.ts): no bidi override reorders the drawer.
  const flat = ${FLATTEN_SCRIPT};
  const esc = (s) => flat(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const panel = $('#detail');
  const controls = { target: '#f-target', family: '#f-family', group: '#f-group', api: '#f-api', status: '#f-status', model: '#f-model', check: '#f-check', view: '#f-view', changes: '#f-changes' };
  let selected = null;

  function readState() {
    const s = {};
    for (const [name, selector] of Object.entries(controls)) {
      const el = $(selector);
      if (!el) continue;
      s[name] = el.type === 'checkbox' ? (el.checked ? '1' : '') : el.value.trim();
    }
    return s;
  }

  function writeHash(s) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(s)) if (v && !(k === 'view' && v === data.defaultView)) params.set(k, v);
    if (selected) params.set('cell', selected.dataset.key);
    const hash = params.toString();
    const url = location.pathname + location.search + (hash ? '#' + hash : '');
    try { history.replaceState(null, '', url); } catch (e) { location.hash = hash; }
  }

  function timing(t) {
    if (!t) return '';
    return ' (' + Math.round(t.headersMs) + ' ms to headers' + (t.firstTokenMs !== undefined ? ', ' + Math.round(t.firstTokenMs) + ' ms to first token' : '') + ', ' + Math.round(t.totalMs) + ' ms total)';
  }

  function evidenceTable(list) {
    if (!list.length) return '<p>No evidence recorded.</p>';
    return '<table class="evidence"><tr><th>request</th><th>status</th><th>request id</th><th>excerpt</th></tr>' +
      list.map((e) => '<tr><td>' + esc((e.trial ? 'trial ' + e.trial + ': ' : '') + e.case + ' / ' + e.step + ': ' + e.request + timing(e.timing)) + '</td><td>' + esc((e.status !== undefined ? e.status : e.error || '') + (e.answeredBy ? ' answered by ' + e.answeredBy : '')) + '</td><td>' + esc(e.requestId || '') + '</td><td>' + esc(e.excerpt || '') + '</td></tr>').join('') + '</table>';
  }

  function trialsTable(trials) {
    if (!trials || !trials.length) return '';
    return '<h4>Trials</h4><table class="trials"><tr><th>#</th><th>status</th><th>observed</th><th>reason</th></tr>' +
      trials.map((t, i) => '<tr><td>' + (i + 1) + '</td><td>' + esc((data.symbols[t.status] || '') + ' ' + t.status) + '</td><td><code>' + esc(text(t.observed)) + '</code></td><td>' + esc(t.reason) + '</td></tr>').join('') + '</table>';
  }

  function close() {
    panel.classList.add('hidden');
    document.body.classList.remove('drawer-open');
    if (selected) selected.classList.remove('selected');
    selected = null;
    writeHash(readState());
  }

  function show(cell) {
    const r = results.get(cell.dataset.key);
    if (!r) return;
    if (selected) selected.classList.remove('selected');
    selected = cell;
    cell.classList.add('selected');
    const check = data.checks.find((c) => c.id === r.check) || { title: '' };
    const change = changes[cell.dataset.key];
    const rows = [
      ['status', '<span class="status">' + esc(data.symbols[r.status] + ' ' + r.status) + '</span> <small>' + esc(data.labels[r.status]) + '</small>' + (r.gating ? ' (fails the gate)' : '')],
      ['observed', '<code class="observed">' + esc(text(r.observed)) + '</code>'],
      ['expected', '<code class="expected">' + esc(text(r.expected)) + '</code>' + (r.expectedSource ? ' <small>' + esc(r.expectedSource) + '</small>' : ' <small>no expectation stated</small>')],
      ['reason', '<span class="reason">' + esc(r.reason) + '</span>'],
      ['target', esc(r.target)],
    ];
    if (change) rows.push(['change', esc(change.kind + ': ' + change.reason)]);
    panel.innerHTML = '<button type="button" id="close-detail" aria-label="Close">Close</button><h3>' + esc(r.model) + '<br>' + esc(r.check) + '</h3><p>' + esc(check.title) + '</p><dl>' +
      rows.map(([k, v]) => '<dt>' + k + '</dt><dd>' + v + '</dd>').join('') + '</dl>' + trialsTable(r.trials) + '<h4>Evidence</h4>' + evidenceTable(r.evidence);
    panel.classList.remove('hidden');
    document.body.classList.add('drawer-open');
    $('#close-detail').addEventListener('click', close);
    // The page made room for the drawer; bring the cell into what is left of the view, clear of the sticky model column
    // (scrollIntoView takes no account of it).
    cell.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const wrap = cell.closest('.grid-wrap');
    const name = cell.parentElement.querySelector('th.model');
    if (wrap && name) {
      const hidden = name.getBoundingClientRect().right - cell.getBoundingClientRect().left;
      if (hidden > 0) wrap.scrollLeft -= hidden;
    }
    writeHash(readState());
  }

  function cellFor(key) {
    return $$('td.cell').find((td) => td.dataset.key === key);
  }

  document.addEventListener('click', (event) => {
    const cell = event.target.closest('td.cell');
    if (cell) return show(cell);
    const jump = event.target.closest('button[data-key]');
    if (jump) {
      let td = cellFor(jump.dataset.key);
      // Every filter that could hide the cell is cleared, not only some: the cell is opened where it can be seen.
      if (td && td.offsetParent === null) {
        for (const [name, selector] of Object.entries(controls)) {
          const el = $(selector);
          if (!el) continue;
          if (el.type === 'checkbox') el.checked = false;
          else el.value = name === 'view' ? 'all' : '';
        }
        apply();
        td = cellFor(jump.dataset.key);
      }
      if (td) show(td);
      return;
    }
    const filter = event.target.closest('button[data-filter]');
    if (filter) {
      // A count row's link shows exactly the cells it counts: the id whole (=id), not every id it is part of.
      $(controls[filter.dataset.filter]).value = '=' + filter.dataset.value;
      apply();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && selected) close();
    if (event.key === 'Enter' && document.activeElement && document.activeElement.matches('td.cell')) show(document.activeElement);
  });

  // Skipped cells are not observed either; those a filter or another shard took (not-run) are no finding of this run.
  const BAD = ['s-fail', 's-error', 's-flaky', 's-inconclusive', 's-skipped'];
  // A cell that gates is one to look at whatever its status: an n/a cell the expectations file states a value for.
  const isBad = (td) => (td.classList.contains('gating') || BAD.some((c) => td.classList.contains(c))) && !td.classList.contains('not-run');
  // A model or check box matches ids containing its text, or with =id the id whole.
  const matches = (query, id) => !query || (query.startsWith('=') ? id.toLowerCase() === query.slice(1) : id.toLowerCase().includes(query));

  function apply() {
    const s = readState();
    const search = (s.model || '').toLowerCase();
    const checkSearch = (s.check || '').toLowerCase();
    const failuresOnly = s.view === 'failures';
    const onlyChanges = s.changes === '1';
    $$('section.target').forEach((sec) => sec.classList.toggle('hidden', !!s.target && sec.dataset.target !== s.target));
    let visibleChecks = new Set(data.checks.filter((c) => (!s.group || c.group === s.group) && (!s.api || c.api === s.api) &&
      matches(checkSearch, c.id) && (!onlyChanges || data.changedChecks.includes(c.id))).map((c) => c.id));
    const rows = $$('section.target:not(.hidden) tr[data-model]');
    const shown = rows.filter((row) => {
      const cells = $$('td.cell', row).filter((td) => visibleChecks.has(td.dataset.check));
      return (!s.family || row.dataset.family === s.family) && matches(search, row.dataset.model) &&
        (!s.status || cells.some((td) => td.classList.contains('s-' + s.status))) && (!onlyChanges || cells.some((td) => changes[td.dataset.key])) &&
        // A model the gate found nothing of observed stays in view, whatever its cells read.
        (!failuresOnly || cells.some(isBad) || row.dataset.unobserved !== undefined);
    });
    if (failuresOnly) {
      const keep = new Set();
      shown.forEach((row) => $$('td.cell', row).forEach((td) => { if (visibleChecks.has(td.dataset.check) && isBad(td)) keep.add(td.dataset.check); }));
      visibleChecks = keep;
    }
    $$('[data-check]').forEach((el) => el.classList.toggle('hidden', !visibleChecks.has(el.dataset.check)));
    $$('th[data-group]').forEach((th) => {
      const n = data.checks.filter((c) => c.group === th.dataset.group && visibleChecks.has(c.id)).length;
      th.colSpan = Math.max(n, 1);
      th.classList.toggle('hidden', n === 0);
    });
    const shownSet = new Set(shown);
    $$('tr[data-model]').forEach((row) => {
      row.classList.toggle('hidden', !shownSet.has(row));
      $$('td.cell', row).forEach((td) => td.classList.toggle('dim', (!!s.status && !td.classList.contains('s-' + s.status)) || (failuresOnly && !isBad(td))));
    });
    $$('tr.family').forEach((tr) => {
      const members = $$('tr[data-model]', tr.closest('tbody')).filter((r) => r.dataset.family === tr.dataset.family);
      tr.classList.toggle('hidden', members.every((r) => r.classList.contains('hidden')));
    });
    $$('section.target').forEach((sec) => {
      const any = $$('tr[data-model]', sec).some((r) => !r.classList.contains('hidden'));
      const note = $('.empty', sec);
      if (note) note.classList.toggle('hidden', any);
    });
    const count = $('#f-count');
    if (count) count.textContent = shown.length + ' model rows x ' + visibleChecks.size + ' checks shown';
    writeHash(s);
  }

  // The view in the URL wins; else the run's default (failures only when there are any).
  const params = new URLSearchParams(location.hash.slice(1));
  for (const [name, selector] of Object.entries(controls)) {
    const el = $(selector);
    if (!el) continue;
    const value = params.get(name) !== null ? params.get(name) : name === 'view' ? data.defaultView : '';
    if (el.type === 'checkbox') el.checked = value === '1';
    else el.value = value;
  }
  $$('nav.filters select, nav.filters input').forEach((el) => el.addEventListener('input', apply));
  apply();
  const initial = params.get('cell') && cellFor(params.get('cell'));
  if (initial) show(initial);
})();
`;
