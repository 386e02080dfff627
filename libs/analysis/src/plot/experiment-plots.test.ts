import { describe, expect, it } from 'vitest';
import { byClass, parseXml } from '../test-utils/xml.js';
import { experimentPlots } from './experiment-plots.js';
import type { ExperimentRow } from './experiment-plots.js';

const rows: ExperimentRow[] = [
  { trial: 0, lr: 1e-4, gamma: 0.9, act: 'relu', strength: 100 },
  { trial: 1, lr: 1e-3, gamma: 0.95, act: 'tanh', strength: 300 },
  { trial: 2, lr: 1e-2, gamma: 0.99, act: 'relu', strength: 200 },
  { trial: 3, lr: 3e-3, gamma: 0.97, act: 'tanh', strength: null },
];

describe('experimentPlots', () => {
  const plots = experimentPlots(rows, { hyperparameters: ['lr', 'gamma', 'act'], metric: 'strength' });

  it('gives one plot per hyperparameter with one point per trial that has the metric', () => {
    expect(Object.keys(plots)).toEqual(['lr', 'gamma', 'act']);
    for (const svg of Object.values(plots)) expect(byClass(parseXml(svg), 'pt')).toHaveLength(3);
  });

  it('colours points by the metric and shows a colour bar', () => {
    const root = parseXml(plots.gamma);
    const pts = byClass(root, 'pt');
    expect(pts.map((p) => Number(p.attrs['data-c']))).toEqual([100, 300, 200]);
    expect(new Set(pts.map((p) => p.attrs.fill)).size).toBe(3);
    expect(byClass(root, 'colorbar')).toHaveLength(1);
  });

  it('uses log x for a hyperparameter spanning >= 100x, linear otherwise, unless told', () => {
    expect(parseXml(plots.lr).attrs['data-x-scale']).toBe('log');
    expect(parseXml(plots.gamma).attrs['data-x-scale']).toBe('linear');
    const lin = experimentPlots(rows, { hyperparameters: ['lr'], metric: 'strength', scale: { lr: 'linear' } });
    expect(parseXml(lin.lr).attrs['data-x-scale']).toBe('linear');
  });

  it('puts string values on a categorical axis', () => {
    const root = parseXml(plots.act);
    expect(JSON.parse(root.attrs['data-x-categories'])).toEqual(['relu', 'tanh']);
    expect(byClass(root, 'pt').map((p) => Number(p.attrs['data-x']))).toEqual([0, 1, 0]);
  });

  it('names a missing column and lists the ones there are', () => {
    expect(() => experimentPlots(rows, { hyperparameters: ['lrr'], metric: 'strength' })).toThrow(
      'experimentPlots: hyperparameter "lrr" is in no row (columns: trial, lr, gamma, act, strength)',
    );
    expect(() => experimentPlots(rows, { hyperparameters: [], metric: 'score' })).toThrow('experimentPlots: metric "score" is in no row');
    expect(() => experimentPlots(rows, { hyperparameters: ['gamma'], metric: 'strength', scale: { gamma: 'log' } })).not.toThrow();
    expect(() => experimentPlots([{ x: -1, m: 1 }], { hyperparameters: ['x'], metric: 'm', scale: { x: 'log' } })).toThrow(
      'experimentPlots: scale of "x" is log but it has values <= 0 (allowed: linear)',
    );
  });
});
