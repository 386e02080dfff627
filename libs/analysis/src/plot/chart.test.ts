import { describe, expect, it } from 'vitest';
import { AnalysisError } from '../errors.js';
import { byClass, parseXml, points, textOf } from '../test-utils/xml.js';
import { renderChart } from './chart.js';
import { svgToPng } from './png.js';

const base = { title: 'T', xLabel: 'frames', yLabel: 'return' };

describe('renderChart', () => {
  it('writes well-formed SVG with one group per series and every drawn point in data-points', () => {
    const svg = renderChart({
      ...base,
      lines: [
        { name: 'a', x: [1, 2, 3, 4], y: [1, null, 3, 4] },
        { name: 'b', x: [1, 2, 3], y: [2, 2, 2], band: { low: [1, 1, 1], high: [3, 3, 3] } },
      ],
    });
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.class).toBe('chart');
    const series = byClass(root, 'series');
    expect(series.map((s) => s.attrs['data-name'])).toEqual(['a', 'b']);
    expect(points(series[0].attrs['data-points'])).toEqual([[1, 1], [3, 3], [4, 4]]);
    expect(points(series[1].attrs['data-points'])).toHaveLength(3);
    // the null breaks line a into two pieces: two move-to commands
    const dA = byClass(series[0], 'line')[0].attrs.d;
    expect(dA.match(/M/g)).toHaveLength(2);
    expect(dA.match(/L/g)).toHaveLength(1);
    expect(byClass(series[1], 'band')).toHaveLength(1);
    expect(byClass(root, 'legend-item').map((e) => e.attrs['data-legend'])).toEqual(['a', 'b']);
    expect(svg).not.toMatch(/\sid=/); // no ids: charts can share a page
  });

  it('maps data to pixels inside the plot area given by data-plot and the domains', () => {
    const svg = renderChart({ ...base, scatter: [{ name: 'p', x: [0, 10], y: [0, 100] }] });
    const root = parseXml(svg);
    const [left, top, w, h] = root.attrs['data-plot'].split(' ').map(Number);
    const [x0, x1] = root.attrs['data-x-domain'].split(' ').map(Number);
    const [y0, y1] = root.attrs['data-y-domain'].split(' ').map(Number);
    for (const c of byClass(root, 'pt')) {
      const x = Number(c.attrs['data-x']);
      const y = Number(c.attrs['data-y']);
      expect(Number(c.attrs.cx)).toBeCloseTo(left + (w * (x - x0)) / (x1 - x0), 1);
      expect(Number(c.attrs.cy)).toBeCloseTo(top + h - (h * (y - y0)) / (y1 - y0), 1);
    }
  });

  it('draws faint series first and scatter points with a colour bar', () => {
    const svg = renderChart({
      ...base,
      lines: [{ name: 'mean', x: [1, 2], y: [1, 2] }, { name: 's0', x: [1, 2], y: [0, 1], faint: true, legend: 'sessions' }],
      scatter: [{ name: 'trials', x: [1, 2, 3], y: [3, 4, 5], c: [3, 4, 5] }],
      colorLabel: 'strength',
    });
    const root = parseXml(svg);
    const series = byClass(root, 'series');
    expect(series.map((s) => s.attrs['data-name'])).toEqual(['s0', 'mean', 'trials']);
    expect(series[0].attrs.class).toBe('series faint');
    const pts = byClass(root, 'pt');
    expect(pts).toHaveLength(3);
    expect(new Set(pts.map((p) => p.attrs.fill)).size).toBe(3); // coloured by value
    expect(byClass(root, 'colorbar')).toHaveLength(1);
    expect(textOf(byClass(root, 'colorbar')[0])).toContain('strength');
  });

  it('log x leaves out x <= 0 and marks the scale', () => {
    const root = parseXml(renderChart({ ...base, logX: true, scatter: [{ name: 'p', x: [0, 1e-4, 1e-2], y: [1, 2, 3] }] }));
    expect(root.attrs['data-x-scale']).toBe('log');
    expect(byClass(root, 'pt')).toHaveLength(2);
  });

  it('escapes every string and stays well-formed', () => {
    const evil = '</svg><script>alert(1)</script>&"\'\u0001';
    const svg = renderChart({ title: evil, xLabel: evil, yLabel: evil, lines: [{ name: evil, x: [1], y: [1] }], reference: { y: 1, label: evil } });
    expect(svg).not.toContain('<script>');
    const root = parseXml(svg);
    expect(byClass(root, 'title')[0].text).toBe('</svg><script>alert(1)</script>&"\'\uFFFD');
    expect(byClass(root, 'series')[0].attrs['data-name']).toBe('</svg><script>alert(1)</script>&"\'\uFFFD');
    expect(() => svgToPng(svg)).not.toThrow();
  });

  it('shows "no data" for empty series', () => {
    const root = parseXml(renderChart({ ...base, lines: [{ name: 'a', x: [], y: [] }] }));
    expect(byClass(root, 'no-data')).toHaveLength(1);
  });

  it('rejects series of unequal lengths with a one-line message', () => {
    expect(() => renderChart({ ...base, lines: [{ name: 'a', x: [1, 2], y: [1] }] })).toThrow(AnalysisError);
    expect(() => renderChart({ ...base, lines: [{ name: 'a', x: [1, 2], y: [1] }] })).toThrow(
      'renderChart: line "a": y has 1 values, x has 2 (allowed: equal lengths)',
    );
    expect(() => renderChart({ ...base, scatter: [{ name: 's', x: [1], y: [1], c: [] }] })).toThrow('scatter "s": c has 0 values');
  });
});
