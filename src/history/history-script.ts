/**
 * @module history/history-script
 * The script of history.html. Cells are drawn as they scroll into view (200 rows at a time), each with its strip of
 * statuses across the target's runs on a canvas, so a year of nightly runs opens and filters at once; filters are
 * kept in the URL's fragment; a click on a row opens its change points with dates; the latency chart is uPlot's.
 * Every string from the data reaches the page as text (textContent, or escaped), never as markup, and flattened.
 */
import { FLATTEN_SCRIPT } from '../report/inert-text.ts';

export const HISTORY_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('history-data').textContent);
  var $ = function (s) { return document.querySelector(s); };
  // Text flattened as the server-rendered pages' (inert-text.ts): no bidi override or control reorders a row.
  var flat = ${FLATTEN_SCRIPT};
  var esc = function (s) { return flat(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); };
  var COLORS = { pass: '#cdebd5', fail: '#f6b9b6', error: '#ffe08a', unsupported: '#dadce0', skipped: '#eeeeee', flaky: '#d7b8f3', inconclusive: '#b9d0fb', absent: '#ffffff' };
  var BATCH = 200;
  var runs = data.runs;
  var position = data.targets.map(function (t) { var m = new Map(); t.runs.forEach(function (r, i) { m.set(r, i); }); return m; });
  var show = function (v) { return v === null ? 'null' : typeof v === 'string' ? v : JSON.stringify(v); };
  function describe(state) {
    var s = state[0], v = state[1];
    if (s === 'pass' || s === 'fail') return show(v);
    if (s === 'flaky') return 'flaky (' + show(v) + ')';
    if (s === 'unsupported') return 'n/a';
    return s;
  }
  function changeText(a, b) {
    var x = describe(a), y = describe(b);
    return x === y ? a[0] + ' ' + x + ' -> ' + b[0] + ' ' + y : x + ' -> ' + y;
  }
  // Where a cell's state changed, between runs that observed it: absent runs and errors (an outage observed
  // nothing) aside, as history.json's change points. States are indexes: the first (0) is a state like any other.
  // marks: run, 1/0 pairs of the changes the harness made (1: the check's definition differs) or may have made (0),
  // and run, 2 where the target stood for another endpoint than in the earlier run.
  function changePoints(segs, states, marks) {
    var changes = [], prev = null;
    marks = marks || [];
    for (var k = 0; k < segs.length; k += 3) {
      var state = states[segs[k + 2]];
      if (state[0] === 'absent' || state[0] === 'error') continue;
      var harness = '';
      for (var h = 0; h < marks.length; h += 2) if (marks[h] === segs[k]) harness += marks[h + 1] === 2 ? " (the target is another endpoint than in the earlier run: not the endpoint's change)" : marks[h + 1] === 1 ? " (the check changed with the harness: not the endpoint's change)" : " (one of the two runs' files does not say what its check measured: may be the harness's change)";
      if (prev !== null && prev !== segs[k + 2]) changes.push(harness ? { run: segs[k], from: states[prev], to: state, harness: harness } : { run: segs[k], from: states[prev], to: state });
      prev = segs[k + 2];
    }
    return changes;
  }
  // Now is the target's latest run (the last segment ends there): a cell it did not run (a lost shard, a partial
  // run) is "not run", never the state an older run left. A latest run that finished but selected part of the
  // catalog or checks (filtered) says nothing of what it did not select (model-history.ts): the last state seen.
  function nowState(segs, states, filtered) {
    var now = segs.length ? states[segs[segs.length - 1]] : null;
    if (!now || now[0] !== 'absent' || !filtered) return now;
    for (var j = segs.length - 1; j >= 2; j -= 3) if (states[segs[j]][0] !== 'absent') return states[segs[j]];
    return now;
  }
  var cells = data.cells.map(function (c, i) {
    var segs = c[5], changes = changePoints(segs, data.states, c[6] || []);
    var latest = data.targets[c[0]].runs[data.targets[c[0]].runs.length - 1];
    var now = nowState(segs, data.states, latest !== undefined && runs[latest][2] === 1);
    return { i: i, t: c[0], m: c[1], c: c[2], flaky: c[3], runs: c[4], segs: segs, now: now, changes: changes };
  });
  var controls = { target: '#f-target', group: '#f-group', api: '#f-api', status: '#f-status', model: '#f-model', check: '#f-check', changed: '#f-changed' };
  var matching = [];
  var shown = 0;
  var selected = null;

  function readState() {
    var s = {};
    Object.keys(controls).forEach(function (k) { var el = $(controls[k]); s[k] = el.type === 'checkbox' ? (el.checked ? '1' : '') : el.value.trim(); });
    return s;
  }
  function writeHash(s) {
    var params = new URLSearchParams();
    Object.keys(s).forEach(function (k) {
      if (k !== 'changed') { if (s[k]) params.set(k, s[k]); return; }
      if ((s[k] === '1') !== data.defaultChanged) params.set('changed', s[k] === '1' ? '1' : '0');
    });
    if (selected !== null) params.set('cell', String(selected));
    var hash = params.toString();
    try { history.replaceState(null, '', location.pathname + location.search + (hash ? '#' + hash : '')); } catch (e) { location.hash = hash; }
  }

  function strip(cell) {
    var target = data.targets[cell.t];
    var n = target.runs.length || 1;
    var width = Math.max(60, Math.min(480, n * 6));
    var canvas = document.createElement('canvas');
    canvas.width = width; canvas.height = 14;
    var ctx = canvas.getContext('2d');
    var pos = position[cell.t];
    for (var k = 0; k < cell.segs.length; k += 3) {
      var x0 = Math.floor(pos.get(cell.segs[k]) * width / n), x1 = Math.floor((pos.get(cell.segs[k + 1]) + 1) * width / n);
      ctx.fillStyle = COLORS[data.states[cell.segs[k + 2]][0]] || '#000';
      ctx.fillRect(x0, 0, Math.max(1, x1 - x0), 14);
    }
    canvas.addEventListener('mousemove', function (e) {
      var at = Math.min(n - 1, Math.max(0, Math.floor(e.offsetX * n / width)));
      var run = target.runs[at];
      var state = stateAt(cell, run);
      canvas.title = flat(runs[run][1].slice(0, 10) + ' (run ' + runs[run][0] + '): ' + (state ? state[0] + (state[0] === 'absent' ? '' : ' ' + show(state[1])) : ''));
    });
    return canvas;
  }
  function stateAt(cell, run) {
    for (var k = 0; k < cell.segs.length; k += 3) if (run >= cell.segs[k] && run <= cell.segs[k + 1]) return data.states[cell.segs[k + 2]];
    return null;
  }

  function row(cell) {
    var tr = document.createElement('tr');
    tr.className = 'row' + (selected === cell.i ? ' selected' : '');
    tr.tabIndex = 0;
    tr.dataset.cell = String(cell.i);
    tr.dataset.key = data.targets[cell.t].id + '|' + data.models[cell.m] + '|' + data.checks[cell.c].id;
    var cols = [data.targets[cell.t].id, data.models[cell.m], data.checks[cell.c].id];
    cols.forEach(function (text) { var td = document.createElement('td'); td.className = 'id'; td.textContent = flat(text); tr.appendChild(td); });
    var tdStrip = document.createElement('td'); tdStrip.appendChild(strip(cell)); tr.appendChild(tdStrip);
    var now = document.createElement('td'); now.className = 'id'; now.textContent = !cell.now ? '' : cell.now[0] === 'absent' ? 'not run' : flat((data.symbols[cell.now[0]] || '') + ' ' + describe(cell.now)); tr.appendChild(now);
    var ch = document.createElement('td'); ch.className = 'num'; ch.textContent = String(cell.changes.length); tr.appendChild(ch);
    var fl = document.createElement('td'); fl.className = 'num'; fl.textContent = cell.flaky ? Math.round(100 * cell.flaky / cell.runs) + '% (' + cell.flaky + '/' + cell.runs + ')' : ''; tr.appendChild(fl);
    tr.addEventListener('click', function () { open(cell.i); });
    tr.addEventListener('keydown', function (e) { if (e.key === 'Enter') open(cell.i); });
    return tr;
  }

  function more() {
    var body = $('#cell-rows');
    var end = Math.min(matching.length, shown + BATCH);
    var fragment = document.createDocumentFragment();
    for (; shown < end; shown++) fragment.appendChild(row(matching[shown]));
    body.appendChild(fragment);
    $('#more').classList.toggle('hidden', shown >= matching.length);
  }

  function apply() {
    var s = readState();
    var model = s.model.toLowerCase(), check = s.check.toLowerCase();
    matching = cells.filter(function (cell) {
      var info = data.checks[cell.c];
      if (s.target && data.targets[cell.t].id !== s.target) return false;
      if (s.group && info.group !== s.group) return false;
      if (s.api && info.api !== s.api) return false;
      if (s.status && (!cell.now || cell.now[0] !== s.status)) return false;
      if (model && data.models[cell.m].toLowerCase().indexOf(model) < 0) return false;
      if (check && info.id.toLowerCase().indexOf(check) < 0) return false;
      if (s.changed && cell.changes.length === 0 && cell.flaky === 0) return false;
      return true;
    });
    $('#cell-rows').textContent = '';
    shown = 0;
    more();
    $('#f-count').textContent = matching.length + ' of ' + cells.length + ' cells';
    writeHash(s);
  }

  function open(i) {
    var cell = cells[i];
    selected = i;
    document.querySelectorAll('#cells tr.selected').forEach(function (tr) { tr.classList.remove('selected'); });
    var tr = document.querySelector('#cells tr[data-cell="' + i + '"]');
    if (tr) tr.classList.add('selected');
    var panel = $('#detail');
    var changes = cell.changes.map(function (c) { return '<tr><td>' + esc(runs[c.run][1].slice(0, 10)) + '</td><td>' + esc(runs[c.run][0]) + '</td><td class="change">' + esc(changeText(c.from, c.to) + (c.harness || '')) + '</td></tr>'; }).join('');
    var segs = [];
    for (var k = 0; k < cell.segs.length; k += 3) {
      var state = data.states[cell.segs[k + 2]];
      segs.push('<tr><td>' + esc(runs[cell.segs[k]][1].slice(0, 10)) + ' to ' + esc(runs[cell.segs[k + 1]][1].slice(0, 10)) + '</td><td>' + esc(state[0] === 'absent' ? 'not run' : describe(state)) + '</td></tr>');
    }
    panel.innerHTML = '<button type="button" id="close-detail">close</button><h3>' + esc(data.models[cell.m]) + ' · ' + esc(data.checks[cell.c].id) + '</h3>' +
      '<p>' + esc(data.targets[cell.t].id) + ': ' + cell.runs + ' runs with a result, flaky in ' + cell.flaky + (cell.runs ? ' (' + Math.round(100 * cell.flaky / cell.runs) + '%)' : '') + '</p>' +
      '<h4>Change points (' + cell.changes.length + ')</h4>' + (changes ? '<table class="changes"><tr><th>date</th><th>run</th><th>change</th></tr>' + changes + '</table>' : '<p>None: the cell never changed.</p>') +
      '<h4>Spans</h4><table><tr><th>runs</th><th>state</th></tr>' + segs.join('') + '</table>';
    panel.classList.remove('hidden');
    document.body.classList.add('drawer-open');
    $('#close-detail').addEventListener('click', close);
    writeHash(readState());
  }
  function close() {
    $('#detail').classList.add('hidden');
    document.body.classList.remove('drawer-open');
    document.querySelectorAll('#cells tr.selected').forEach(function (tr) { tr.classList.remove('selected'); });
    selected = null;
    writeHash(readState());
  }

  function fillSelect(el, values, all) {
    el.textContent = '';
    var first = document.createElement('option'); first.value = ''; first.textContent = all; el.appendChild(first);
    values.forEach(function (v) { var o = document.createElement('option'); o.value = v; o.textContent = flat(v); el.appendChild(o); });
  }

  var plot = null;
  function chart() {
    var t = $('#l-target').value, m = $('#l-model').value, api = $('#l-api').value;
    var series = data.latency.find(function (s) { return data.targets[s.t].id === t && data.models[s.m] === m && s.api === api; });
    var box = $('#latency-chart');
    if (plot) { plot.destroy(); plot = null; }
    box.textContent = '';
    if (!series || typeof uPlot === 'undefined') { box.textContent = 'No latency measured for this selection.'; return; }
    var xs = series.runs.map(function (r) { return Date.parse(runs[r][1]) / 1000; });
    var opts = {
      width: Math.max(320, Math.min(1100, box.clientWidth || 900)), height: 260,
      series: [{}, { label: 'total p50 ms', stroke: '#1a73e8' }, { label: 'total p95 ms', stroke: '#1a73e8', dash: [6, 4] },
        { label: 'first token p50 ms', stroke: '#e37400' }, { label: 'first token p95 ms', stroke: '#e37400', dash: [6, 4] }, { label: 'headers p50 ms', stroke: '#5f6368' }],
      axes: [{}, { label: 'ms' }],
    };
    plot = new uPlot(opts, [xs, series.totalP50, series.totalP95, series.firstTokenP50, series.firstTokenP95, series.headersP50], box);
  }
  function latencyModels() {
    var t = $('#l-target').value;
    var models = Array.from(new Set(data.latency.filter(function (s) { return data.targets[s.t].id === t; }).map(function (s) { return data.models[s.m]; }))).sort();
    var keep = $('#l-model').value;
    fillSelect($('#l-model'), models, 'model'); $('#l-model').firstChild.remove();
    if (models.indexOf(keep) >= 0) $('#l-model').value = keep;
    latencyApis();
  }
  function latencyApis() {
    var t = $('#l-target').value, m = $('#l-model').value;
    var apis = data.latency.filter(function (s) { return data.targets[s.t].id === t && data.models[s.m] === m; }).map(function (s) { return s.api; });
    var keep = $('#l-api').value;
    fillSelect($('#l-api'), apis, 'API'); $('#l-api').firstChild.remove();
    if (apis.indexOf(keep) >= 0) $('#l-api').value = keep;
    chart();
  }

  // Start: the filters from the fragment, then the rows and the chart.
  var params = new URLSearchParams(location.hash.slice(1));
  $('#f-changed').checked = params.has('changed') ? params.get('changed') === '1' : data.defaultChanged;
  Object.keys(controls).forEach(function (k) {
    var el = $(controls[k]);
    if (k !== 'changed' && params.has(k)) el.value = params.get(k);
    el.addEventListener(el.tagName === 'INPUT' && el.type !== 'checkbox' ? 'input' : 'change', apply);
  });
  $('#more').addEventListener('click', more);
  if ('IntersectionObserver' in window) new IntersectionObserver(function (entries) { if (entries[0].isIntersecting && shown < matching.length) more(); }).observe($('#more'));
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') close(); });
  apply();
  if (params.has('cell') && cells[Number(params.get('cell'))]) open(Number(params.get('cell')));
  if (data.latency.length) {
    var targets = Array.from(new Set(data.latency.map(function (s) { return data.targets[s.t].id; }))).sort();
    fillSelect($('#l-target'), targets, 'target'); $('#l-target').firstChild.remove();
    $('#l-target').addEventListener('change', latencyModels);
    $('#l-model').addEventListener('change', latencyApis);
    $('#l-api').addEventListener('change', chart);
    latencyModels();
  } else {
    $('#latency').classList.add('hidden');
  }
})();
`;
