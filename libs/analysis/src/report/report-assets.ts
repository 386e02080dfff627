/**
 * The report's inline stylesheet and script (static text: no data is ever placed in them, so
 * nothing from a spec or env name can reach script context). The script reads the data the
 * chart writer embeds in each `<svg class="chart">` (see `plot/chart.ts`):
 * - hover: the tooltip shows the series name and the x/y (and colour value) of the drawn point
 *   nearest the pointer (within 40 px), and a ring marks it;
 * - legend click (or Enter/Space on a focused entry): hides/shows every series of that entry.
 */

export const REPORT_CSS = `
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}.sub{color:#666;margin:0 0 12px}
div.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:13px;margin:6px 0 12px}th,td{border:1px solid #ddd;padding:3px 8px;text-align:right;vertical-align:top}
th{background:#f4f4f4}td.key,th.key{text-align:left;font-family:"DejaVu Sans Mono",monospace}
th.text,td.text{text-align:left;font-family:"DejaVu Sans Mono",monospace;word-break:break-all;max-width:720px}
pre{background:#f7f7f7;border:1px solid #e3e3e3;padding:10px;overflow:auto;font-size:12px;max-height:480px}
details>summary{cursor:pointer;font-weight:bold}
.plots{display:flex;flex-wrap:wrap;gap:12px}figure.plot{margin:0;flex:1 1 480px;max-width:660px}
figure.plot svg{width:100%;height:auto;display:block}figcaption{font-size:12px;color:#666}
g.series.off{display:none}g.legend-item.off{opacity:.35}g.legend-item:focus{outline:1px dotted #333}
#tooltip{position:absolute;pointer-events:none;background:rgba(255,255,255,.95);border:1px solid #888;border-radius:3px;padding:4px 6px;font-size:12px;white-space:pre;box-shadow:0 1px 3px rgba(0,0,0,.2)}
`;

export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var tip = document.getElementById('tooltip');
  function nums(s) { return String(s || '').split(' ').map(Number); }
  function fmt(v) {
    if (!isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    var a = Math.abs(v);
    return a >= 1000 ? v.toFixed(1) : a >= 1e-3 ? String(Number(v.toPrecision(5))) : v.toExponential(3);
  }
  function hide(marker) { tip.hidden = true; marker.setAttribute('visibility', 'hidden'); }
  function setup(svg) {
    var plot = nums(svg.getAttribute('data-plot'));
    var xd = nums(svg.getAttribute('data-x-domain'));
    var yd = nums(svg.getAttribute('data-y-domain'));
    var log = svg.getAttribute('data-x-scale') === 'log';
    var catsAttr = svg.getAttribute('data-x-categories');
    var cats = catsAttr ? JSON.parse(catsAttr) : null;
    var xLabel = svg.getAttribute('data-x-label') || 'x';
    var yLabel = svg.getAttribute('data-y-label') || 'y';
    var t = log ? function (v) { return Math.log(v) / Math.LN10; } : function (v) { return v; };
    function px(x) { return plot[0] + plot[2] * (t(x) - t(xd[0])) / (t(xd[1]) - t(xd[0])); }
    function py(y) { return plot[1] + plot[3] - plot[3] * (y - yd[0]) / (yd[1] - yd[0]); }
    var series = Array.prototype.map.call(svg.querySelectorAll('g.series'), function (g) {
      var raw = g.getAttribute('data-points');
      var pts = raw ? raw.split(' ').map(function (p) {
        var v = p.split(',').map(Number);
        return { x: v[0], y: v[1], c: v.length > 2 ? v[2] : null, px: px(v[0]), py: py(v[1]) };
      }) : [];
      return { g: g, name: g.getAttribute('data-name'), color: g.getAttribute('data-color'), pts: pts };
    });
    var marker = document.createElementNS(NS, 'circle');
    marker.setAttribute('r', '6');
    marker.setAttribute('fill', 'none');
    marker.setAttribute('stroke', '#000');
    marker.setAttribute('stroke-width', '1.5');
    marker.setAttribute('class', 'hover-marker');
    marker.setAttribute('visibility', 'hidden');
    svg.appendChild(marker);
    svg.addEventListener('mousemove', function (ev) {
      var r = svg.getBoundingClientRect();
      var vb = svg.viewBox.baseVal;
      var mx = (ev.clientX - r.left) * vb.width / r.width;
      var my = (ev.clientY - r.top) * vb.height / r.height;
      var best = null, bestD = 40 * 40;
      series.forEach(function (s) {
        if (s.g.classList.contains('off')) return;
        s.pts.forEach(function (p) {
          var d = (p.px - mx) * (p.px - mx) + (p.py - my) * (p.py - my);
          if (d < bestD) { bestD = d; best = { s: s, p: p }; }
        });
      });
      if (!best) { hide(marker); return; }
      var xs = cats ? String(cats[best.p.x]) : fmt(best.p.x);
      var text = best.s.name + '\\n' + xLabel + ': ' + xs + '\\n' + yLabel + ': ' + fmt(best.p.y);
      if (best.p.c !== null) text += '\\ncolour: ' + fmt(best.p.c);
      tip.textContent = text;
      tip.style.left = (ev.pageX + 14) + 'px';
      tip.style.top = (ev.pageY + 14) + 'px';
      tip.hidden = false;
      marker.setAttribute('cx', String(best.p.px));
      marker.setAttribute('cy', String(best.p.py));
      marker.setAttribute('stroke', best.s.color || '#000');
      marker.setAttribute('visibility', 'visible');
    });
    svg.addEventListener('mouseleave', function () { hide(marker); });
    Array.prototype.forEach.call(svg.querySelectorAll('g.legend-item'), function (item) {
      item.setAttribute('tabindex', '0');
      item.setAttribute('role', 'button');
      function toggle() {
        var key = item.getAttribute('data-legend');
        var off = !item.classList.contains('off');
        item.classList.toggle('off', off);
        item.setAttribute('aria-pressed', off ? 'false' : 'true');
        series.forEach(function (s) { if (s.g.getAttribute('data-legend') === key) s.g.classList.toggle('off', off); });
        hide(marker);
      }
      item.addEventListener('click', toggle);
      item.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggle(); } });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('svg.chart'), setup);
})();
`;
