import { describe, expect, it } from 'vitest';
import { AnalysisError } from '../errors.js';
import { bootstrapCi } from '../stats/bootstrap.js';
import { mean } from '../stats/summary.js';
import { byClass, parseXml, points } from '../test-utils/xml.js';
import { TRIAL_PLOT_NAMES, comparisonChart, comparisonPlot, sessionPlots, trialPlot, trialPlots, trialSeries } from './session-plots.js';
import type { SessionPlotRow } from './session-plots.js';

const row = (frame: number, ret: number | null, ma: number | null, extra: Partial<SessionPlotRow> = {}): SessionPlotRow => ({
  frame, wall_time: frame / 100, return: ret, return_ma: ma, loss: null, entropy: null, explore_var: null, ...extra,
});

describe('sessionPlots', () => {
  const rows = [
    row(100, null, null, { loss: 0.9, entropy: 0.69 }),
    row(200, 10, 10, { loss: 0.5, entropy: 0.6 }),
    row(300, 30, 20, { loss: 0.4, entropy: 0.5 }),
  ];

  it('gives return vs frames and vs wall time, and the diagnostics that have values', () => {
    const plots = sessionPlots(rows, { title: 's0', target: 25 });
    expect(Object.keys(plots)).toEqual(['return_vs_frame', 'return_vs_wall_time', 'loss', 'entropy']);
    const r = parseXml(plots.return_vs_frame ?? '');
    const series = byClass(r, 'series');
    expect(series.map((s) => s.attrs['data-name'])).toEqual(['return', 'return_ma']);
    expect(points(series[0].attrs['data-points'])).toEqual([[200, 10], [300, 30]]);
    expect(byClass(r, 'reference')).toHaveLength(1);
    const w = parseXml(plots.return_vs_wall_time ?? '');
    expect(points(byClass(w, 'series')[1].attrs['data-points'])).toEqual([[2, 10], [3, 20]]);
    expect(points(byClass(parseXml(plots.loss ?? ''), 'series')[0].attrs['data-points'])).toEqual([[100, 0.9], [200, 0.5], [300, 0.4]]);
  });

  it('gives explore_var instead of entropy for a value-based agent', () => {
    const dqn = [row(100, 5, 5, { explore_var: 1 }), row(200, 9, 7, { explore_var: 0.5 })];
    expect(Object.keys(sessionPlots(dqn))).toEqual(['return_vs_frame', 'return_vs_wall_time', 'explore_var']);
  });
});

describe('trialSeries', () => {
  const s0 = [row(100, 10, 10), row(200, 20, 20), row(300, 50, 50)];
  const s1 = [row(100, 30, 30), row(200, 40, 40)];

  it('averages across sessions per checkpoint, truncated to the shortest session', () => {
    const t = trialSeries([s0, s1], { band: 'std' });
    expect(t.frames).toEqual([100, 200]);
    expect(t.mean).toEqual([20, 30]);
    // sample std of (10, 30) and of (20, 40): sqrt(200) each
    expect(t.low[0]).toBeCloseTo(20 - Math.sqrt(200), 12);
    expect(t.high[1]).toBeCloseTo(30 + Math.sqrt(200), 12);
    expect(t.count).toEqual([2, 2]);
  });

  it('the bootstrap band is the bootstrap interval of the mean at each checkpoint', () => {
    const t = trialSeries([s0, s1], { reps: 300, seed: 4 });
    const ci = bootstrapCi([10, 30], mean, { reps: 300, seed: 4 });
    expect([t.low[0], t.high[0]]).toEqual([ci.low, ci.high]);
  });

  it('skips missing values and gives null where no session has one', () => {
    const a = [row(100, null, null), row(200, 10, 10)];
    const b = [row(100, null, null), row(200, null, null)];
    const t = trialSeries([a, b], { metric: 'return' });
    expect(t.mean).toEqual([null, 10]);
    expect(t.low).toEqual([null, 10]); // one value: zero-width band
    expect(t.count).toEqual([0, 1]);
    expect(() => trialSeries([])).toThrow('trialSeries: no sessions (allowed: at least one session of rows)');
  });
});

describe('trialPlot', () => {
  it('draws every session faint behind the mean and its band', () => {
    const sessions = [0, 1, 2].map((j) => [row(100, j, j), row(200, 10 + j, 5 + j), row(300, 20 + j, 10 + j)]);
    const root = parseXml(trialPlot(sessions, { band: 'std' }));
    const series = byClass(root, 'series');
    expect(series).toHaveLength(4);
    expect(byClass(root, 'faint')).toHaveLength(3);
    const meanSeries = series[3];
    expect(meanSeries.attrs['data-name']).toBe('mean ± 1 std');
    expect(points(meanSeries.attrs['data-points'])).toEqual([[100, 1], [200, 6], [300, 11]]);
    expect(byClass(meanSeries, 'band')).toHaveLength(1);
    expect(byClass(root, 'legend-item').map((e) => e.attrs['data-legend'])).toEqual(['sessions', 'mean ± 1 std']);
  });
});

describe('comparisonPlot', () => {
  it('draws one line per run and rejects duplicate labels', () => {
    const runs = [
      { label: 'ppo', frames: [1, 2, 3], values: [1, 2, 3] },
      { label: 'dqn', frames: [1, 2], values: [0, null] },
    ];
    const series = byClass(parseXml(comparisonPlot(runs, { title: 'cmp' })), 'series');
    expect(series.map((s) => s.attrs['data-name'])).toEqual(['ppo', 'dqn']);
    expect(points(series[1].attrs['data-points'])).toEqual([[1, 0]]);
    expect(() => comparisonPlot([runs[0], runs[0]], { title: 'x' })).toThrow(AnalysisError);
    expect(() => comparisonPlot([runs[0], runs[0]], { title: 'x' })).toThrow('comparisonPlot: duplicate run label "ppo" (allowed: distinct labels)');
  });
});

describe('trialPlots', () => {
  it('is trialPlot of return_ma with the target and of return without it, in TRIAL_PLOT_NAMES order', () => {
    const sessions = [0, 1].map((j) => [row(100, j, j), row(200, 10 + j, 5 + j)]);
    const plots = trialPlots(sessions, { title: 'x t0', target: 475, seed: 9 });
    expect(Object.keys(plots)).toEqual([...TRIAL_PLOT_NAMES]);
    expect(plots.return_ma_vs_frame).toBe(trialPlot(sessions, { title: 'x t0', metric: 'return_ma', target: 475, seed: 9 }));
    expect(plots.return_vs_frame).toBe(trialPlot(sessions, { title: 'x t0', metric: 'return', target: null, seed: 9 }));
    expect(byClass(parseXml(plots.return_vs_frame), 'reference')).toHaveLength(0);
  });
});

describe('comparisonChart', () => {
  const line = (label: string, envId: string) => ({ label, envId, frames: [1, 2], values: [1, 2] });

  it('titles the chart by its labels (up to 3) and draws the target the envs share', () => {
    const two = comparisonChart([line('a', 'CartPole-v1'), line('b', 'CartPole-v1')]);
    expect([two.title, two.target]).toEqual(['a vs b', 475]);
    expect(byClass(parseXml(two.svg), 'reference')).toHaveLength(1);
    const mixed = comparisonChart([line('a', 'CartPole-v1'), line('b', 'Acrobot-v1'), line('c', 'CartPole-v1'), line('d', 'CartPole-v1')]);
    expect([mixed.title, mixed.target]).toEqual(['4 runs', null]);
    expect(comparisonChart([line('a', 'CartPole-v1')], { title: 'mine' }).title).toBe('mine');
  });
});
