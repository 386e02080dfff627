import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COLUMNS, TRIAL_METRIC_NAMES, parseCsv, trialReturnStats } from '@gymlab/analysis';
import { snapshot } from '@gymlab/cli-kit/testing';
import { RunFolderError } from './analyze-read.js';
import { analysisSeed } from './analyze-trial.js';
import { analyzeRun } from './analyze.js';
import type { RunResult } from './run/run.js';
import { fakeRun, isPng, tempDir } from './test-utils/analyze-fixtures.js';

const SESSION_PLOTS = ['return_vs_frame', 'return_vs_wall_time', 'loss']; // the fake agent reports a loss, no entropy
const TRIAL_PLOTS = ['return_ma_vs_frame', 'return_vs_frame'];

/** Derived files (what analyze writes): metrics JSON, trial table, plots, report. */
const isDerived = (rel: string): boolean =>
  /(^|\/)(metrics|eval_metrics|trial_metrics|trial_eval_metrics)\.json$/.test(rel) || rel.endsWith('trial_metrics.csv') || rel.includes('plots/') || rel === 'report.html';

/** Points of the first `g.series` whose data-name is `name` in an SVG. */
function seriesPoints(svg: string, name: string): number {
  const m = new RegExp(`<g class="series[^"]*" data-name="${name}"[^>]*data-points="([^"]*)"`).exec(svg);
  if (m === null) throw new Error(`no series ${name}`);
  return m[1].split(' ').filter((p) => p !== '').length;
}

describe('analysis at the end of a run', () => {
  let run: RunResult;
  beforeAll(async () => {
    run = await fakeRun();
  });

  it('writes session and trial plots as SVG and PNG, and report.html', () => {
    expect(run.status).toBe('completed');
    for (let s = 0; s < 3; s++) {
      const dir = join(run.runDir, 'trial_0', `session_${s}`, 'plots');
      expect(readdirSync(dir).sort()).toEqual(SESSION_PLOTS.flatMap((p) => [`${p}.png`, `${p}.svg`]).sort());
      for (const p of SESSION_PLOTS) {
        expect(isPng(join(dir, `${p}.png`)), p).toBe(true);
        expect(readFileSync(join(dir, `${p}.svg`), 'utf8')).toMatch(/^<svg[^>]*class="chart"/);
      }
      const rows = parseCsv(readFileSync(join(run.runDir, 'trial_0', `session_${s}`, 'metrics.csv'), 'utf8'), SESSION_COLUMNS).rows;
      expect(rows.length).toBe(10);
      expect(seriesPoints(readFileSync(join(dir, 'return_vs_frame.svg'), 'utf8'), 'return_ma')).toBe(rows.filter((r) => r.return_ma !== null).length);
    }
    for (const p of TRIAL_PLOTS) {
      expect(isPng(join(run.runDir, 'trial_0', 'plots', `${p}.png`)), p).toBe(true);
      expect(readFileSync(join(run.runDir, 'trial_0', 'plots', `${p}.svg`), 'utf8')).toMatch(/^<svg[^>]*class="chart"/);
    }
    expect(run.reportFile).toBe(join(run.runDir, 'report.html'));
    const html = readFileSync(run.reportFile, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html.match(/<svg[^>]*class="chart"/g)?.length).toBe(1 + 3 * SESSION_PLOTS.length); // trial plot + per-session plots
    expect(html).toContain(readFileSync(join(run.runDir, 'provenance.json'), 'utf8').match(/"hostname": "([^"]+)"/)?.[1] ?? 'no hostname');
  });

  it("trial_metrics.json keeps SLM Lab's names and adds statistics equal to those computed from the CSVs", () => {
    const json = JSON.parse(readFileSync(join(run.runDir, 'trial_0', 'trial_metrics.json'), 'utf8'));
    expect(Object.keys(json).slice(0, TRIAL_METRIC_NAMES.length)).toEqual([...TRIAL_METRIC_NAMES]);
    expect(json).toEqual(JSON.parse(JSON.stringify(run.trial.metrics)));
    const csvs = [0, 1, 2].map((s) => parseCsv(readFileSync(join(run.runDir, 'trial_0', `session_${s}`, 'metrics.csv'), 'utf8'), SESSION_COLUMNS).rows);
    const finals = csvs.map((rows) => rows.map((r) => r.return_ma).filter((v): v is number => v !== null).at(-1) ?? NaN);
    const seed = analysisSeed(11); // meta.random_seed=11
    expect(json.bootstrap).toEqual({ seed, reps: 2000, confidence: 0.95 });
    expect(json.final_return_ma).toEqual(JSON.parse(JSON.stringify(trialReturnStats(finals, { seed }))));
    expect(json.total_reward_ma).toBeCloseTo(finals.reduce((a, b) => a + b, 0) / 3, 12);
    // a random CartPole agent never reaches 475
    expect(json.target_return).toBe(475);
    expect([json.frames_to_target, json.seconds_to_target, json.sessions_reached_target]).toEqual([null, null, 0]);
    expect(json.sessions_to_target).toEqual([0, 1, 2].map((session) => ({ session, frames: null, seconds: null })));
  });

  it('analyze restores deleted metrics JSON byte-identical, and plots and report, touching no source file', () => {
    const dir = run.runDir;
    const derived = snapshot(dir, isDerived);
    const jsonBytes = Object.fromEntries(Object.keys(derived).filter((p) => /\.(json|csv)$/.test(p)).map((p) => [p, readFileSync(join(dir, p))]));
    expect(Object.keys(jsonBytes).sort()).toEqual(['trial_0/session_0/metrics.json', 'trial_0/session_1/metrics.json', 'trial_0/session_2/metrics.json', 'trial_0/trial_metrics.csv', 'trial_0/trial_metrics.json']);
    const sources = snapshot(dir, (p) => !isDerived(p));
    for (const p of Object.keys(derived)) rmSync(join(dir, p));
    for (const p of ['trial_0/plots', 'trial_0/session_0/plots', 'trial_0/session_1/plots', 'trial_0/session_2/plots']) rmSync(join(dir, p), { recursive: true });

    const result = analyzeRun(dir);
    for (const [p, bytes] of Object.entries(jsonBytes)) expect(readFileSync(join(dir, p)).equals(bytes), p).toBe(true);
    expect(Object.keys(snapshot(dir, isDerived)).sort()).toEqual(Object.keys(derived).sort());
    expect(snapshot(dir, (p) => !isDerived(p))).toEqual(sources);
    expect(result.files.every((f) => f.changed)).toBe(true);
    expect(result.skipped).toEqual([]);

    // again: everything is already up to date, nothing is rewritten
    const before = snapshot(dir);
    expect(analyzeRun(dir).files.some((f) => f.changed)).toBe(false);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('a run with evaluation', () => {
  it('writes eval_metrics.json and trial_eval_metrics.json, and analyze restores them byte-identical', async () => {
    const run = await fakeRun({ sessions: 2, frames: 800, sets: ['meta.rigorous_eval=2', 'meta.eval_frequency=400'] });
    const files = ['trial_0/session_0/eval_metrics.json', 'trial_0/session_1/eval_metrics.json', 'trial_0/trial_eval_metrics.json', 'trial_0/trial_metrics.json'];
    const original = files.map((f) => readFileSync(join(run.runDir, f)));
    expect(JSON.parse(original[2].toString()).frame).toBe(800);
    for (const f of files) rmSync(join(run.runDir, f));
    analyzeRun(run.runDir);
    files.forEach((f, i) => expect(readFileSync(join(run.runDir, f)).equals(original[i]), f).toBe(true));
  });
});

describe('analyze: bad input', () => {
  it('a folder that is not a run: RunFolderError naming it, nothing written', () => {
    const dir = tempDir('notrun');
    const err = (() => {
      try {
        analyzeRun(dir);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RunFolderError);
    expect((err as Error).message).toBe(`${dir}: not a run folder (missing spec.json and provenance.json)`);
    expect(readdirSync(dir)).toEqual([]);
    expect(() => analyzeRun(join(dir, 'nope'))).toThrow(/nope: not a folder/);
  });

  it('a malformed spec.json or metrics.csv names the file in one line', async () => {
    const run = await fakeRun({ sessions: 1, frames: 400 });
    // a second trial with a bad CSV: trial 0's files must not be written either
    cpSync(join(run.runDir, 'trial_0'), join(run.runDir, 'trial_1'), { recursive: true });
    const csv = join(run.runDir, 'trial_1', 'session_0', 'metrics.csv');
    writeFileSync(csv, 'frame,wall_time\n1,2\n');
    rmSync(join(run.runDir, 'report.html'));
    rmSync(join(run.runDir, 'trial_0', 'trial_metrics.json'));
    const before = snapshot(run.runDir);
    expect(() => analyzeRun(run.runDir)).toThrow(new RunFolderError(`${csv}: line 1: missing column "episodes" (header has: frame, wall_time)`));
    expect(snapshot(run.runDir)).toEqual(before); // nothing written
    writeFileSync(join(run.runDir, 'spec.json'), '{ "a": 1, "b": 2 }');
    expect(() => analyzeRun(run.runDir)).toThrow(/spec\.json: holds 2 specs/);
    writeFileSync(join(run.runDir, 'spec.json'), '{');
    expect(() => analyzeRun(run.runDir)).toThrow(/spec\.json: not a spec file/);
  });

  it('a session folder without metrics.csv is skipped and listed', async () => {
    const run = await fakeRun({ sessions: 1, frames: 400 });
    mkdirSync(join(run.runDir, 'trial_0', 'session_1'));
    const r = analyzeRun(run.runDir);
    expect(r.skipped).toEqual([join(run.runDir, 'trial_0', 'session_1')]);
    expect(r.trials[0].sessions.map((s) => s.session)).toEqual([0]);
  });
});

describe('an interrupted run', () => {
  it('is analysed for what exists: metrics, plots and report', async () => {
    const controller = new AbortController();
    const run = await fakeRun({ sessions: 2, frames: 1_000_000, signal: controller.signal, onProgress: (f) => f >= 600 && controller.abort() });
    expect(run.status).toBe('interrupted');
    expect(existsSync(join(run.runDir, 'trial_0', 'session_1'))).toBe(false);
    for (const f of ['report.html', 'trial_0/trial_metrics.json', 'trial_0/plots/return_ma_vs_frame.png', 'trial_0/session_0/plots/return_vs_frame.svg']) {
      expect(existsSync(join(run.runDir, f)), f).toBe(true);
    }
    const json = JSON.parse(readFileSync(join(run.runDir, 'trial_0', 'trial_metrics.json'), 'utf8'));
    expect(json.final_return_ma.n).toBe(1);
  });
});
