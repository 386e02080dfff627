/**
 * The report.html of a real run (the demo spec, PPO on CartPole, shrunk) in Debian's Chromium
 * driven by playwright-core: every non-file request is blocked and counted as a failure; every
 * session and trial plot is there with as many data points as the CSVs have rows. Fails (does
 * not skip) when Chromium is missing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COLUMNS, parseCsv } from '@gymlab/analysis';
import type { SessionRow } from '@gymlab/analysis';
import { openOffline } from '@gymlab/cli-kit/browser-testing';
import { DEMO, ensureBuilt, runCli, tempDir } from './test-utils/cli.js';

const SESSIONS = 2;

let browser: Browser | undefined;
let page: Page;
let blocked: readonly string[] = [];
let pageErrors: readonly string[] = [];
let runDir = '';
const rows: SessionRow[][] = [];

beforeAll(async () => {
  ensureBuilt();
  const data = tempDir('data');
  const r = runCli(['run', DEMO, 'ppo_cartpole', 'train', '-s', 'env.max_frame=3000', '-s', 'meta.log_frequency=250', '--data-dir', data], { timeout: 240_000 });
  if (r.code !== 0) throw new Error(`run failed (${r.code}): ${r.stderr}`);
  runDir = join(data, readdirSync(data)[0]);
  for (let s = 0; s < SESSIONS; s++) {
    rows.push(parseCsv(readFileSync(join(runDir, 'trial_0', `session_${s}`, 'metrics.csv'), 'utf8'), SESSION_COLUMNS).rows);
  }
  ({ browser, page, blocked, pageErrors } = await openOffline(join(runDir, 'report.html')));
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

/** The `[x, y]` points of a series element's `data-points`. */
async function points(series: Locator): Promise<number[][]> {
  const text = (await series.getAttribute('data-points')) ?? '';
  return text.split(' ').filter((p) => p !== '').map((p) => p.split(',').map(Number));
}

async function visibleBox(l: Locator): Promise<void> {
  const b = await l.boundingBox();
  expect(b).not.toBeNull();
  expect(b?.width ?? 0).toBeGreaterThan(0);
  expect(b?.height ?? 0).toBeGreaterThan(0);
}

const present = (rs: readonly SessionRow[], c: 'return' | 'return_ma' | 'loss' | 'entropy'): number[][] =>
  rs.filter((r) => r[c] !== null && Number.isFinite(r[c])).map((r) => [r.frame ?? NaN, r[c] ?? NaN]);

describe("a real run's report.html in Chromium", () => {
  it('makes no network request and runs without errors', () => {
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows the provenance and the trial statistics', async () => {
    const prov = JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8'));
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).toContain(prov.git.sha);
    expect(body).toContain('IQM [95% CI]');
    expect(await page.title()).toBe(runDir.split('/').at(-1));
  });

  it('renders each session plot with one point per CSV row', async () => {
    for (let s = 0; s < SESSIONS; s++) {
      const chart = page.locator(`figure[data-plot-name="t0 s${s} return_vs_frame"] svg.chart`);
      await chart.scrollIntoViewIfNeeded();
      await visibleBox(chart);
      for (const c of ['return', 'return_ma'] as const) {
        const series = chart.locator(`g.series[data-name="${c}"]`);
        const expected = present(rows[s], c);
        expect(expected.length).toBe(rows[s].length); // CartPole episodes end well before the first row
        expect(await points(series)).toEqual(expected);
        await visibleBox(series.locator('path.line'));
      }
      for (const c of ['loss', 'entropy'] as const) {
        const series = page.locator(`figure[data-plot-name="t0 s${s} ${c}"] svg.chart g.series[data-name="${c}"]`);
        expect(await points(series)).toEqual(present(rows[s], c));
      }
      const wall = page.locator(`figure[data-plot-name="t0 s${s} return_vs_wall_time"] svg.chart g.series[data-name="return_ma"]`);
      expect((await points(wall)).map(([x]) => x)).toEqual(rows[s].map((r) => r.wall_time));
    }
  });

  it('renders the trial plot: each session faint with its rows, the mean over the common rows', async () => {
    const chart = page.locator('figure[data-plot-name="t0 trial"] svg.chart');
    await chart.scrollIntoViewIfNeeded();
    await visibleBox(chart);
    const faint = chart.locator('g.series.faint');
    expect(await faint.count()).toBe(SESSIONS);
    for (let s = 0; s < SESSIONS; s++) expect(await points(faint.nth(s))).toEqual(present(rows[s], 'return_ma'));
    const mean = chart.locator('g.series:not(.faint)');
    const n = Math.min(...rows.map((r) => r.length));
    const expected = rows[0].slice(0, n).map((r, i) => [r.frame, rows.reduce((a, rs) => a + (rs[i].return_ma ?? NaN), 0) / SESSIONS]);
    const got = await points(mean);
    expect(got.length).toBe(n);
    got.forEach(([x, y], i) => {
      expect(x).toBe(expected[i][0]);
      expect(y).toBeCloseTo(expected[i][1] ?? NaN, 9);
    });
    await visibleBox(mean.locator('path.line'));
  });

  it('has exactly the trial plot and four plots per session', async () => {
    expect(await page.locator('svg.chart').count()).toBe(1 + 4 * SESSIONS);
  });
});
