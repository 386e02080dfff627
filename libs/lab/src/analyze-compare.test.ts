import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COLUMNS, parseCsv } from '@gymlab/analysis';
import { COMPARISON_FILES, plotRuns } from './analyze-compare.js';
import { RunFolderError } from './analyze-read.js';
import type { RunResult } from './run/run.js';
import { fakeRun, isPng, tempDir } from './test-utils/analyze-fixtures.js';

/** data-points of the series named `name`, as [x, y] pairs. */
function series(svg: string, name: string): number[][] {
  const m = new RegExp(`<g class="series[^"]*" data-name="${name}"[^>]*data-points="([^"]*)"`).exec(svg);
  if (m === null) throw new Error(`no series ${name}`);
  return m[1].split(' ').filter((p) => p !== '').map((p) => p.split(',').map(Number));
}

describe('plotRuns', () => {
  let a: RunResult;
  let b: RunResult;
  beforeAll(async () => {
    a = await fakeRun({ sessions: 2, frames: 1000, seed: 1 });
    b = await fakeRun({ sessions: 3, frames: 1400, seed: 2 });
  });

  it("draws each run's trial mean return_ma vs frames (from the session CSVs) into a new folder", () => {
    const data = tempDir('plots');
    const r = plotRuns({ runDirs: [a.runDir, b.runDir], title: 'a vs b', dataDir: data, date: new Date(2025, 0, 2, 3, 4, 5) });
    expect(r.outDir).toBe(join(data, 'plot_2025_01_02_030405'));
    expect(readdirSync(r.outDir).sort()).toEqual(Object.values(COMPARISON_FILES).sort());
    expect(isPng(join(r.outDir, COMPARISON_FILES.png))).toBe(true);
    const svg = readFileSync(join(r.outDir, COMPARISON_FILES.svg), 'utf8');
    expect(svg).toContain('>a vs b<');
    const index = JSON.parse(readFileSync(join(r.outDir, COMPARISON_FILES.index), 'utf8'));
    const labels: string[] = index.runs.map((l: { label: string }) => l.label);
    expect(new Set(labels).size).toBe(2); // distinct even when both folders were made in the same second
    for (const [k, run] of [a, b].entries()) {
      const sessions = readdirSync(join(run.runDir, 'trial_0')).filter((n) => n.startsWith('session_'));
      const csvs = sessions.map((s) => parseCsv(readFileSync(join(run.runDir, 'trial_0', s, 'metrics.csv'), 'utf8'), SESSION_COLUMNS).rows);
      const expected = csvs[0].map((row, i) => [row.frame ?? NaN, csvs.reduce((acc, rows) => acc + (rows[i].return_ma ?? NaN), 0) / csvs.length]);
      const got = series(svg, labels[k]);
      expect(got.length).toBe(expected.length);
      got.forEach(([x, y], i) => {
        expect(x).toBe(expected[i][0]);
        expect(y).toBeCloseTo(expected[i][1], 9);
      });
    }
    expect(index.runs.map((l: { runDir: string; sessions: number; points: number }) => [l.runDir, l.sessions, l.points])).toEqual([[a.runDir, 2, 5], [b.runDir, 3, 7]]);
    expect(index.target).toBe(475);
    // the same second again: a new folder, never the old one
    expect(plotRuns({ runDirs: [a.runDir], dataDir: data, date: new Date(2025, 0, 2, 3, 4, 5) }).outDir).toBe(`${r.outDir}_1`);
  });

  it('--out: writes there, and refuses to overwrite', () => {
    const out = join(tempDir('out'), 'cmp');
    plotRuns({ runDirs: [a.runDir], outDir: out });
    const before = readFileSync(join(out, COMPARISON_FILES.svg));
    expect(() => plotRuns({ runDirs: [b.runDir], outDir: out })).toThrow(new RunFolderError(`${out}: already holds ${COMPARISON_FILES.svg} (never overwritten; allowed: a folder without it)`));
    expect(readFileSync(join(out, COMPARISON_FILES.svg)).equals(before)).toBe(true);
  });

  it('bad input: one line naming the folder and what is missing, nothing written', () => {
    const data = tempDir('plots');
    const notRun = tempDir('notrun');
    const noCsv = join(tempDir('copy'), 'run');
    cpSync(b.runDir, noCsv, { recursive: true });
    for (const s of [0, 1, 2]) rmSync(join(noCsv, 'trial_0', `session_${s}`, 'metrics.csv'));
    const noTrial = join(tempDir('copy'), 'run');
    mkdirSync(noTrial);
    for (const f of ['spec.json', 'provenance.json']) writeFileSync(join(noTrial, f), readFileSync(join(a.runDir, f)));
    const cases: [string[], string][] = [
      [[a.runDir, notRun], `${notRun}: not a run folder (missing spec.json and provenance.json)`],
      [[noCsv], `${join(noCsv, 'trial_0')}: no session_<s>/metrics.csv (missing CSV: nothing to plot)`],
      [[noTrial], `${noTrial}: no trial_<t> folder (nothing to plot)`],
      [[a.runDir, a.runDir], `${a.runDir}: given twice (allowed: each run folder once)`],
      [[], 'plot: no run folder given (allowed: one or more run folders)'],
    ];
    for (const [runDirs, message] of cases) expect(() => plotRuns({ runDirs, dataDir: data })).toThrow(new RunFolderError(message));
    expect(readdirSync(data)).toEqual([]);
    expect(existsSync(join(noCsv, 'report.html'))).toBe(true); // inputs are only read
  });
});
