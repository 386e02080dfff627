/**
 * A small SVG chart writer: axes with nice ticks, grid, title, axis labels, legend, lines with
 * optional shaded bands, faint lines, scatter points with a viridis colour bar, optional log x or
 * categorical x. Pure: spec in, SVG text out.
 *
 * Data is embedded so a test or the report's script can find every point:
 * - the root `<svg class="chart">` carries `data-plot` ("left top width height" of the plot area in
 *   pixels), `data-x-domain` / `data-y-domain` ("min max"), `data-x-scale` ("linear" | "log"),
 *   `data-x-label`, `data-y-label`, and for categorical x `data-x-categories` (a JSON array);
 * - each series is `<g class="series" data-name data-legend data-kind="line|scatter">` with
 *   `data-points` = "x,y x,y ..." (scatter: "x,y,c ...") listing exactly the points drawn, in data
 *   units; a line is one `<path class="line">`, a band `<path class="band">`, a scatter point
 *   `<circle class="pt" data-x data-y data-c>`;
 * - each legend entry is `<g class="legend-item" data-legend>`.
 * No element ids are used, so several charts can be inlined into one HTML page.
 */
import { AnalysisError } from '../errors.js';
import type { ChartSpec, LineSeries } from './chart-types.js';
import { seriesColor, viridis } from './color.js';
import { categoryScale, makeScale } from './scale.js';
import type { Scale } from './scale.js';
import { attrs, escapeXml, px } from './xml.js';

const FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';
const COLORBAR_W = 80;

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function checkLengths(name: string, kind: string, n: number, others: Readonly<Record<string, number>>): void {
  for (const [k, len] of Object.entries(others)) {
    if (len !== n) throw new AnalysisError(`renderChart: ${kind} "${name}": ${k} has ${len} values, x has ${n} (allowed: equal lengths)`);
  }
}

/** Path "M x y L x y ..." through the drawable points, a new M after each gap. */
function linePath(xs: readonly number[], ys: readonly (number | null)[], keep: (i: number) => boolean, sx: Scale, sy: Scale): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    if (!keep(i)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px(sx.map(xs[i]))} ${px(sy.map(ys[i] as number))}`;
    pen = true;
  }
  return d;
}

/** Closed band polygons low -> high over each run of points where x, low and high are drawable. */
function bandPath(s: LineSeries, keepX: (x: number) => boolean, sx: Scale, sy: Scale): string {
  const band = s.band;
  if (!band) return '';
  let d = '';
  let run: number[] = [];
  const flush = (): void => {
    if (run.length > 0) {
      const top = run.map((i, k) => `${k === 0 ? 'M' : 'L'}${px(sx.map(s.x[i]))} ${px(sy.map(band.high[i] as number))}`).join('');
      const bottom = [...run].reverse().map((i) => `L${px(sx.map(s.x[i]))} ${px(sy.map(band.low[i] as number))}`).join('');
      d += top + bottom + 'Z';
    }
    run = [];
  };
  for (let i = 0; i < s.x.length; i++) {
    if (keepX(s.x[i]) && finite(band.low[i]) && finite(band.high[i])) run.push(i);
    else flush();
  }
  flush();
  return d;
}

interface Layout {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

function axes(sx: Scale, sy: Scale, box: Layout, spec: ChartSpec): string {
  let out = `<g class="grid" stroke="#e5e5e5" stroke-width="1">`;
  for (const t of sx.ticks) out += `<line x1="${px(sx.map(t))}" x2="${px(sx.map(t))}" y1="${box.top}" y2="${box.bottom}"/>`;
  for (const t of sy.ticks) out += `<line x1="${box.left}" x2="${box.right}" y1="${px(sy.map(t))}" y2="${px(sy.map(t))}"/>`;
  out += `</g><g class="axes" fill="#333" font-size="11">`;
  out += `<rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}" fill="none" stroke="#333"/>`;
  sx.ticks.forEach((t, i) => {
    const x = px(sx.map(t));
    out += `<line x1="${x}" x2="${x}" y1="${box.bottom}" y2="${box.bottom + 5}" stroke="#333"/>`;
    out += `<text x="${x}" y="${box.bottom + 18}" text-anchor="middle">${escapeXml(sx.labels[i])}</text>`;
  });
  sy.ticks.forEach((t, i) => {
    const y = px(sy.map(t));
    out += `<line x1="${box.left - 5}" x2="${box.left}" y1="${y}" y2="${y}" stroke="#333"/>`;
    out += `<text x="${box.left - 8}" y="${y}" dy="0.35em" text-anchor="end">${escapeXml(sy.labels[i])}</text>`;
  });
  const midX = px((box.left + box.right) / 2);
  const midY = px((box.top + box.bottom) / 2);
  out += `<text class="x-label" x="${midX}" y="${box.bottom + 38}" text-anchor="middle" font-size="12">${escapeXml(spec.xLabel)}</text>`;
  out += `<text class="y-label" transform="translate(16 ${midY}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(spec.yLabel)}</text>`;
  return out + '</g>';
}

function colorBar(cs: Scale, box: Layout, label: string): string {
  const x = box.right + 24;
  const h = box.bottom - box.top;
  const steps = 40;
  let out = `<g class="colorbar">`;
  for (let k = 0; k < steps; k++) {
    const y0 = box.bottom - (h * (k + 1)) / steps;
    out += `<rect x="${x}" y="${px(y0)}" width="14" height="${px(h / steps + 0.5)}" fill="${viridis((k + 0.5) / steps)}"/>`;
  }
  out += `<rect x="${x}" y="${box.top}" width="14" height="${h}" fill="none" stroke="#333"/>`;
  cs.ticks.forEach((t, i) => {
    const y = px(cs.map(t));
    out += `<line x1="${x + 14}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="#333"/>`;
    out += `<text x="${x + 20}" y="${y}" dy="0.35em" font-size="10" fill="#333">${escapeXml(cs.labels[i])}</text>`;
  });
  const mid = px((box.top + box.bottom) / 2);
  out += `<text transform="translate(${x - 6} ${mid}) rotate(-90)" text-anchor="middle" font-size="11" fill="#333">${escapeXml(label)}</text>`;
  return out + '</g>';
}

interface LegendEntry {
  readonly key: string;
  readonly color: string;
  readonly kind: 'line' | 'band' | 'point';
}

const LEGEND_CHARS = 28;
const shortLabel = (key: string): string => (key.length > LEGEND_CHARS ? key.slice(0, LEGEND_CHARS - 1) + '…' : key);
/** Legend width in pixels: swatch, gap and about 6.6 px per character at 11 px, 80..220. */
const legendWidth = (entries: readonly LegendEntry[]): number =>
  Math.min(220, Math.max(80, 38 + 6.6 * Math.max(0, ...entries.map((e) => shortLabel(e.key).length))));

function legend(entries: readonly LegendEntry[], x: number, top: number): string {
  let out = `<g class="legend" font-size="11" fill="#333">`;
  entries.forEach((e, i) => {
    const y = top + 8 + i * 18;
    const shown = shortLabel(e.key);
    const swatch =
      e.kind === 'point'
        ? `<circle cx="${x + 9}" cy="${y}" r="4" fill="${e.color}"/>`
        : e.kind === 'band'
          ? `<rect x="${x}" y="${y - 5}" width="18" height="10" fill="${e.color}" fill-opacity="0.25"/><line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${e.color}" stroke-width="2"/>`
          : `<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${e.color}" stroke-width="2"/>`;
    out += `<g class="legend-item"${attrs({ 'data-legend': e.key })} style="cursor:pointer"><title>${escapeXml(e.key)}</title>${swatch}`;
    out += `<text x="${x + 24}" y="${y}" dy="0.35em">${escapeXml(shown)}</text></g>`;
  });
  return out + '</g>';
}

/** Render a chart as a standalone SVG document (see the module comment for the embedded data). */
export function renderChart(spec: ChartSpec): string {
  const lines = spec.lines ?? [];
  const scatter = spec.scatter ?? [];
  const W = spec.width ?? 640;
  const H = spec.height ?? 400;
  if (!(W >= 200 && H >= 150)) throw new AnalysisError(`renderChart: size ${W}x${H} (allowed: width >= 200, height >= 150)`);
  for (const s of lines) {
    checkLengths(s.name, 'line', s.x.length, { y: s.y.length, ...(s.band ? { 'band.low': s.band.low.length, 'band.high': s.band.high.length } : {}) });
  }
  for (const s of scatter) checkLengths(s.name, 'scatter', s.x.length, { y: s.y.length, ...(s.c ? { c: s.c.length } : {}) });

  const logX = spec.logX === true && !spec.xCategories;
  const keepX = (x: number): boolean => finite(x) && (!logX || x > 0);
  const cValues = scatter.flatMap((s) => s.c ?? []).filter(finite);
  const hasColorBar = cValues.length > 0;

  const entries: LegendEntry[] = [];
  const addEntry = (key: string, color: string, kind: LegendEntry['kind']): void => {
    if (!entries.some((e) => e.key === key)) entries.push({ key, color, kind });
  };
  lines.forEach((s, i) => addEntry(s.legend ?? s.name, s.color ?? seriesColor(i), s.band ? 'band' : 'line'));
  scatter.forEach((s, i) => addEntry(s.legend ?? s.name, s.color ?? seriesColor(lines.length + i), 'point'));
  const showLegend = spec.legend ?? (entries.length > 1 || lines.some((s) => s.band !== undefined));

  const box: Layout = {
    left: 72,
    top: 36,
    right: W - 16 - (showLegend ? legendWidth(entries) : 0) - (hasColorBar ? COLORBAR_W : 0),
    bottom: H - 52,
  };
  if (box.right - box.left < 60) throw new AnalysisError(`renderChart: width ${W} leaves no room for the plot (allowed: a larger width)`);

  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of lines) {
    s.x.forEach((x, i) => {
      if (!keepX(x)) return;
      const y = s.y[i];
      if (finite(y)) {
        xs.push(x);
        ys.push(y);
      }
      if (s.band && finite(s.band.low[i]) && finite(s.band.high[i])) ys.push(s.band.low[i] as number, s.band.high[i] as number);
    });
  }
  for (const s of scatter) s.x.forEach((x, i) => { if (keepX(x) && finite(s.y[i])) { xs.push(x); ys.push(s.y[i]); } });
  if (spec.reference && finite(spec.reference.y)) ys.push(spec.reference.y);

  const sx = spec.xCategories ? categoryScale(spec.xCategories, [box.left, box.right]) : makeScale(xs, [box.left, box.right], { log: logX });
  const sy = makeScale(ys, [box.bottom, box.top]);
  const cs = makeScale(cValues, [box.bottom, box.top]);
  const cNorm = (c: number): number => (c - cs.domain[0]) / (cs.domain[1] - cs.domain[0]);

  let body = '';
  // faint lines first (behind), then bands, then the other lines, then points
  const order = [...lines.keys()].sort((a, b) => Number(!lines[a].faint) - Number(!lines[b].faint));
  for (const i of order) {
    const s = lines[i];
    const color = s.color ?? seriesColor(i);
    const keep = (k: number): boolean => keepX(s.x[k]) && finite(s.y[k]);
    const pts: string[] = [];
    s.x.forEach((x, k) => { if (keep(k)) pts.push(`${x},${s.y[k]}`); });
    body += `<g class="series${s.faint ? ' faint' : ''}"${attrs({ 'data-name': s.name, 'data-legend': s.legend ?? s.name, 'data-kind': 'line', 'data-color': color, 'data-points': pts.join(' ') })}>`;
    const band = bandPath(s, keepX, sx, sy);
    if (band) body += `<path class="band" d="${band}" fill="${color}" fill-opacity="0.2" stroke="none"/>`;
    const width = s.faint ? 1 : 2;
    const opacity = s.faint ? 0.3 : 1;
    body += `<path class="line" d="${linePath(s.x, s.y, keep, sx, sy)}" fill="none" stroke="${color}" stroke-width="${width}" stroke-opacity="${opacity}" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
    body += '</g>';
  }
  scatter.forEach((s, j) => {
    const color = s.color ?? seriesColor(lines.length + j);
    const pts: string[] = [];
    let circles = '';
    s.x.forEach((x, k) => {
      if (!keepX(x) || !finite(s.y[k])) return;
      const c = s.c ? s.c[k] : undefined;
      const fill = c !== undefined && finite(c) ? viridis(cNorm(c)) : c !== undefined ? '#999999' : color;
      pts.push(c !== undefined ? `${x},${s.y[k]},${c}` : `${x},${s.y[k]}`);
      circles += `<circle class="pt" cx="${px(sx.map(x))}" cy="${px(sy.map(s.y[k]))}" r="4.5" fill="${fill}" stroke="#333" stroke-width="0.5"${attrs({ 'data-x': x, 'data-y': s.y[k], 'data-c': c })}/>`;
    });
    body += `<g class="series"${attrs({ 'data-name': s.name, 'data-legend': s.legend ?? s.name, 'data-kind': 'scatter', 'data-color': color, 'data-points': pts.join(' ') })}>${circles}</g>`;
  });
  if (spec.reference && finite(spec.reference.y)) {
    const y = px(sy.map(spec.reference.y));
    body += `<g class="reference"><line x1="${box.left}" x2="${box.right}" y1="${y}" y2="${y}" stroke="#555" stroke-dasharray="4 3"/>`;
    body += `<text x="${box.right - 4}" y="${y}" dy="-0.35em" text-anchor="end" font-size="10" fill="#555">${escapeXml(spec.reference.label)}</text></g>`;
  }
  if (xs.length === 0) {
    body += `<text class="no-data" x="${px((box.left + box.right) / 2)}" y="${px((box.top + box.bottom) / 2)}" text-anchor="middle" fill="#999">no data</text>`;
  }

  const root = attrs({
    xmlns: 'http://www.w3.org/2000/svg',
    class: 'chart',
    width: W,
    height: H,
    viewBox: `0 0 ${W} ${H}`,
    'font-family': FONT,
    'font-size': 12,
    'data-title': spec.title,
    'data-plot': `${box.left} ${box.top} ${box.right - box.left} ${box.bottom - box.top}`,
    'data-x-domain': `${sx.domain[0]} ${sx.domain[1]}`,
    'data-y-domain': `${sy.domain[0]} ${sy.domain[1]}`,
    'data-x-scale': logX ? 'log' : 'linear',
    'data-x-label': spec.xLabel,
    'data-y-label': spec.yLabel,
    'data-x-categories': spec.xCategories ? JSON.stringify(spec.xCategories) : undefined,
  });
  let svg = `<svg${root}><rect class="background" width="${W}" height="${H}" fill="#ffffff"/>`;
  svg += `<text class="title" x="${px(W / 2)}" y="22" text-anchor="middle" font-size="14" font-weight="bold" fill="#222">${escapeXml(spec.title)}</text>`;
  svg += axes(sx, sy, box, spec) + body;
  if (hasColorBar) svg += colorBar(cs, box, spec.colorLabel ?? 'value');
  if (showLegend) svg += legend(entries, box.right + (hasColorBar ? COLORBAR_W : 0) + 14, box.top);
  return svg + '</svg>';
}
