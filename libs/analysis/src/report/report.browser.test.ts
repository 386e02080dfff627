/**
 * The report in a real browser: Debian's Chromium driven by playwright-core, every non-file
 * request blocked and counted as a failure. Fails (does not skip) when Chromium is missing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOffline } from '@gymlab/cli-kit/browser-testing';
import { syntheticReport } from '../test-utils/synthetic-run.js';
import { renderReport } from './report-html.js';

const EVIL = '</script><script>window.__pwned=1</script>';

let browser: Browser | undefined;
let page: Page;
let blocked: readonly string[] = [];
let pageErrors: readonly string[] = [];
let dir: string;

beforeAll(async () => {
  const input = syntheticReport(3);
  const html = renderReport({ ...input, spec: { ...(input.spec as object), note: EVIL }, provenance: { ...input.provenance, cmd: EVIL } });
  dir = mkdtempSync(join(tmpdir(), 'gymlab-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  ({ browser, page, blocked, pageErrors } = await openOffline(file));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function box(l: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await l.boundingBox();
  if (!b) throw new Error('element has no bounding box');
  return b;
}

/** Viewport position of data point (x, y) of a chart, from the chart's embedded scales. */
async function pagePoint(chart: Locator, x: number, y: number): Promise<{ x: number; y: number }> {
  const attr = async (k: string): Promise<number[]> => ((await chart.getAttribute(k)) ?? '').split(' ').map(Number);
  const [left, top, w, h] = await attr('data-plot');
  const [x0, x1] = await attr('data-x-domain');
  const [y0, y1] = await attr('data-y-domain');
  const [, , vbW, vbH] = await attr('viewBox');
  const b = await box(chart);
  const vx = left + (w * (x - x0)) / (x1 - x0);
  const vy = top + h - (h * (y - y0)) / (y1 - y0);
  return { x: b.x + (vx * b.width) / vbW, y: b.y + (vy * b.height) / vbH };
}

describe('report.html in Chromium', () => {
  it('makes no network request and runs without errors or injected script', async () => {
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(await page.evaluate('window.__pwned === undefined')).toBe(true);
    expect(await page.locator('pre.json').textContent()).toContain(EVIL); // shown as text
  });

  it('renders every plot with its data points', async () => {
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(16);
    for (let c = 0; c < 16; c++) {
      const chart = charts.nth(c);
      const b = await box(chart);
      expect(b.width).toBeGreaterThan(100);
      expect(b.height).toBeGreaterThan(60);
      const series = chart.locator('g.series');
      const ns = await series.count();
      expect(ns).toBeGreaterThan(0);
      for (let s = 0; s < ns; s++) {
        const g = series.nth(s);
        const n = ((await g.getAttribute('data-points')) ?? '').split(' ').filter((p) => p !== '').length;
        expect(n).toBeGreaterThan(0);
        if ((await g.getAttribute('data-kind')) === 'scatter') {
          const pts = g.locator('circle.pt');
          expect(await pts.count()).toBe(n);
          const pb = await box(pts.first());
          expect(pb.width).toBeGreaterThan(0);
          expect(pb.height).toBeGreaterThan(0);
        } else {
          const lb = await box(g.locator('path.line'));
          expect(lb.width).toBeGreaterThan(0);
          expect(lb.height).toBeGreaterThan(0);
        }
      }
    }
  });

  it('hovering a line shows the nearest point in the tooltip', async () => {
    const chart = page.locator('figure[data-plot-name="t0 trial"] svg.chart');
    const mean = chart.locator('g.series:not(.faint)');
    const pts = ((await mean.getAttribute('data-points')) ?? '').split(' ').map((p) => p.split(',').map(Number));
    const [x, y] = pts[20];
    await chart.scrollIntoViewIfNeeded();
    const at = await pagePoint(chart, x, y);
    const tooltip = page.locator('#tooltip');
    expect(await tooltip.isVisible()).toBe(false);
    await page.mouse.move(at.x + 1, at.y + 1);
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    const text = (await tooltip.textContent()) ?? '';
    expect(text).toContain('mean, 95% bootstrap CI');
    expect(text).toContain(`frames: ${x}`);
    expect(text).toContain(String(Number(y.toPrecision(5))));
    await page.mouse.move(0, 0);
    await expect.poll(() => tooltip.isVisible()).toBe(false);
  });

  it('hovering a scatter point shows its x, y and colour value', async () => {
    const chart = page.locator('figure[data-plot-name="experiment gamma"] svg.chart');
    const pt = chart.locator('circle.pt').nth(3);
    await pt.hover();
    const text = (await page.locator('#tooltip').textContent()) ?? '';
    const x = Number(await pt.getAttribute('data-x'));
    const y = Number(await pt.getAttribute('data-y'));
    expect(text).toContain(`gamma: ${Number(x.toPrecision(5))}`);
    expect(text).toContain(`strength: ${Number(y.toPrecision(5))}`);
  });

  it('clicking a legend entry hides and shows its series', async () => {
    const chart = page.locator('figure[data-plot-name="t0 trial"] svg.chart');
    const faint = chart.locator('g.series.faint');
    expect(await faint.count()).toBe(3);
    expect(await faint.first().isVisible()).toBe(true);
    const item = chart.locator('g.legend-item[data-legend="sessions"]');
    await item.click();
    for (let i = 0; i < 3; i++) expect(await faint.nth(i).isVisible()).toBe(false);
    expect(await chart.locator('g.series:not(.faint)').isVisible()).toBe(true);
    await item.click();
    expect(await faint.first().isVisible()).toBe(true);
  });

  it('the spec section is collapsible', async () => {
    const pre = page.locator('pre.json');
    expect(await pre.isVisible()).toBe(false);
    await page.locator('details > summary').click();
    expect(await pre.isVisible()).toBe(true);
  });
});
