// The matrix report's behaviour: filters (also read from the URL, e.g. report.html#filter=failed or
// ?filter=failed,differs&q=ringbuf, so a headless browser can be pointed at a filtered view),
// subtest rows that expand, and the log panel a cell opens. Rows carry their flags as data-*
// attributes decided by the generator; this script only shows and hides.
(function () {
  'use strict';
  var logs = JSON.parse(document.getElementById('logs').textContent);
  var grid = document.getElementById('grid');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filters input[data-filter]'));
  var search = document.getElementById('q');
  var expanded = {};

  function readUrl() {
    var params = new URLSearchParams(location.search);
    var hash = new URLSearchParams(location.hash.replace(/^#/, ''));
    hash.forEach(function (v, k) { params.set(k, v); });
    var filters = (params.get('filter') || '').split(',');
    boxes.forEach(function (b) { b.checked = filters.indexOf(b.dataset.filter) >= 0; });
    search.value = params.get('q') || '';
  }

  function writeUrl() {
    var p = new URLSearchParams();
    var on = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.dataset.filter; });
    if (on.length) p.set('filter', on.join(','));
    if (search.value) p.set('q', search.value);
    history.replaceState(null, '', p.toString() ? '#' + p.toString() : location.pathname + location.search);
  }

  function matches(row) {
    var ok = boxes.every(function (b) { return !b.checked || row.dataset[b.dataset.filter] === '1'; });
    var q = search.value.trim().toLowerCase();
    return ok && (!q || row.dataset.search.indexOf(q) >= 0);
  }

  function apply() {
    var shown = 0, total = 0;
    Array.prototype.forEach.call(grid.tBodies, function (body) {
      var any = false;
      Array.prototype.forEach.call(body.rows, function (row) {
        if (row.classList.contains('test')) {
          total++;
          var visible = matches(row);
          row.hidden = !visible;
          if (visible) { shown++; any = true; }
        } else if (row.classList.contains('sub')) {
          var parent = document.getElementById(row.dataset.parent);
          row.hidden = parent.hidden || !expanded[row.dataset.parent];
        }
      });
      body.hidden = !any;
    });
    document.getElementById('shown').textContent = 'showing ' + shown + ' of ' + total + ' tests';
    document.body.dataset.shown = String(shown);
  }

  function text(tag, cls, s) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    e.textContent = s;
    return e;
  }

  function openLog(id) {
    var entry = logs[id];
    if (!entry) return;
    var panel = document.getElementById('log');
    var body = document.getElementById('log-body');
    document.getElementById('log-title').textContent = entry.h;
    body.textContent = '';
    function section(title, s, cls) {
      if (!s) return;
      body.appendChild(text('h3', null, title));
      body.appendChild(text('pre', cls, s));
    }
    section('message', entry.m, 'message');
    section('test output', entry.t, null);
    section('libbpf log', entry.l, null);
    (entry.v || []).forEach(function (v, i) { section('verifier log' + (entry.v.length > 1 ? ' ' + (i + 1) : ''), v, 'verifier'); });
    section('stack trace', entry.s, null);
    if (!entry.m && !entry.t && !entry.l && !(entry.v || []).length) body.appendChild(text('p', null, 'The test wrote no output.'));
    panel.hidden = false;
  }

  grid.addEventListener('click', function (ev) {
    var tog = ev.target.closest('button.tog');
    if (tog) {
      expanded[tog.dataset.row] = !expanded[tog.dataset.row];
      tog.textContent = (expanded[tog.dataset.row] ? '\u25be ' : '\u25b8 ') + tog.dataset.count;
      apply();
      return;
    }
    var cell = ev.target.closest('td.c');
    if (cell && cell.dataset.log) openLog(cell.dataset.log);
  });
  document.getElementById('log-close').addEventListener('click', function () { document.getElementById('log').hidden = true; });
  document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') document.getElementById('log').hidden = true; });
  boxes.forEach(function (b) { b.addEventListener('change', function () { writeUrl(); apply(); }); });
  search.addEventListener('input', function () { writeUrl(); apply(); });
  window.addEventListener('hashchange', function () { readUrl(); apply(); });

  readUrl();
  apply();
  var open = new URLSearchParams(location.hash.replace(/^#/, '')).get('log');
  if (open) openLog(open);
  document.body.dataset.ready = '1';
})();
