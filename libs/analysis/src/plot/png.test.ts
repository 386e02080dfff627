import { describe, expect, it } from 'vitest';
import { AnalysisError } from '../errors.js';
import { renderChart } from './chart.js';
import { svgToPng } from './png.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Width and height from the IHDR chunk (bytes 16..23, big-endian). */
const size = (png: Uint8Array): [number, number] => {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return [v.getUint32(16), v.getUint32(20)];
};

describe('svgToPng', () => {
  const svg = renderChart({ title: 'png', xLabel: 'x', yLabel: 'y', lines: [{ name: 'a', x: [0, 1, 2], y: [0, 1, 4] }], width: 640, height: 400 });

  it('gives a PNG of the requested width with the aspect ratio kept', () => {
    const png = svgToPng(svg, { width: 960 });
    expect(png).toBeInstanceOf(Uint8Array);
    expect([...png.slice(0, 8)]).toEqual(SIGNATURE);
    expect(size(png)).toEqual([960, 600]);
  });

  it("defaults to the SVG's own size", () => {
    expect(size(svgToPng(svg))).toEqual([640, 400]);
  });

  it('draws something: the rendering is not one flat colour', () => {
    const a = svgToPng(svg, { width: 320 });
    const blank = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400"></svg>', { width: 320 });
    expect(a.length).toBeGreaterThan(blank.length * 2);
  });

  it('rejects malformed SVG and bad widths with AnalysisError', () => {
    expect(() => svgToPng('<svg><g></svg>')).toThrow(AnalysisError);
    expect(() => svgToPng('<svg><g></svg>')).toThrow(/^svgToPng: cannot render the SVG/);
    expect(() => svgToPng(svg, { width: 0 })).toThrow('svgToPng: width 0 (allowed: an integer 1..16384)');
  });
});
