import { describe, expect, it } from 'vitest';
import type { SearchDimension } from '@gymlab/spec';
import { toParams } from '../space.js';
import { RandomSampler, randomValues } from './random.js';
import type { Observation, Sampler } from './sampler.js';
import { TpeSampler, defaultWeights, nBelow, rankForSplit } from './tpe.js';

const dims: SearchDimension[] = [
  { path: ['x'], dist: 'uniform', args: [-5, 5] },
  { path: ['lr'], dist: 'loguniform', args: [1e-5, 1e-1] },
  { path: ['opt'], dist: 'choice', args: ['a', 'b', 'c', 'd'] },
  { path: ['n'], dist: 'qrandint', args: [8, 256, 8] },
];
const params = toParams(dims, { file: 'test', specName: 't' });

/** A synthetic objective with a known optimum (0 at x = 1.3, lr = 1e-3, opt = c, n = 64). */
function objective(v: Readonly<Record<string, unknown>>): number {
  const x = v.x as number;
  const lr = v.lr as number;
  const n = v.n as number;
  return -((x - 1.3) ** 2) - (Math.log10(lr) + 3) ** 2 - (v.opt === 'c' ? 0 : 1) - ((n - 64) / 64) ** 2;
}

/** A sequential search (one trial at a time, history = every earlier trial); returns the best value after `trials`. */
function bestAfter(sampler: Sampler, trials: number): number {
  const history: Observation[] = [];
  let best = -Infinity;
  for (let k = 0; k < trials; k++) {
    const values = sampler.propose({ trial: k, history: sampler.historyNeeded(k, 1) ? history : [], pending: [] });
    const value = objective(values);
    best = Math.max(best, value);
    history.push({ trial: k, values, state: 'completed', value, frame: 100, lastValue: value });
  }
  return best;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

describe('TPE', () => {
  it('beats random search on a synthetic objective: median best after 30 trials over 100 seeds', () => {
    // 100 seeds, not 20: with 20 the medians move by +-0.3 from one seed set to the next
    const seeds = Array.from({ length: 100 }, (_, i) => 1000 + i);
    const tpe = seeds.map((s) => bestAfter(new TpeSampler(params, s), 30));
    const random = seeds.map((s) => bestAfter(new RandomSampler(params, s), 30));
    const [mt, mr] = [median(tpe), median(random)];
    expect(mt).toBeGreaterThan(mr);
    // and by a margin, not by a hair: TPE closes at least a sixth of random's remaining gap to the optimum 0
    expect(-mt).toBeLessThan((5 / 6) * -mr);
  });

  it('samples its startup trials exactly as the random sampler does, then leaves them', () => {
    const tpe = new TpeSampler(params, 7);
    for (let k = 0; k < 10; k++) expect(tpe.propose({ trial: k, history: [], pending: [] })).toEqual(randomValues(params, 7, k));
    expect(tpe.historyNeeded(9, 1)).toBe(false);
    expect(tpe.historyNeeded(10, 1)).toBe(true);
    expect(tpe.historyNeeded(10, 2)).toBe(false); // trial 10 with 2 at once sees trials 0..8: still startup
    expect(tpe.historyNeeded(11, 2)).toBe(true);
  });

  it('is a pure function of seed, trial number and history', () => {
    const history: Observation[] = Array.from({ length: 12 }, (_, k) => {
      const values = randomValues(params, 3, k);
      return { trial: k, values, state: 'completed' as const, value: objective(values), frame: 100, lastValue: null };
    });
    const a = new TpeSampler(params, 3).propose({ trial: 12, history, pending: [] });
    const b = new TpeSampler(params, 3).propose({ trial: 12, history: [...history].reverse(), pending: [] });
    expect(b).toEqual(a);
    const c = new TpeSampler(params, 4).propose({ trial: 12, history, pending: [] });
    expect(c).not.toEqual(a);
    // every value is one the distribution can produce
    expect(a.x as number).toBeGreaterThanOrEqual(-5);
    expect(a.x as number).toBeLessThanOrEqual(5);
    expect(['a', 'b', 'c', 'd']).toContain(a.opt);
    expect((a.n as number) % 8).toBe(0);
  });

  it("concentrates on the good region: after a history where opt = c is always best, proposes c", () => {
    const history: Observation[] = [];
    for (let k = 0; k < 40; k++) {
      const values = { ...randomValues(params, 9, k), opt: ['a', 'b', 'c', 'd'][k % 4] };
      history.push({ trial: k, values, state: 'completed', value: values.opt === 'c' ? 1 + k / 1000 : 0, frame: 1, lastValue: null });
    }
    const picks = Array.from({ length: 20 }, (_, i) => new TpeSampler(params, 100 + i).propose({ trial: 40, history, pending: [] }).opt);
    expect(picks.filter((p) => p === 'c').length).toBeGreaterThanOrEqual(17);
  });
});

describe("TPE's split and weights (Optuna's defaults)", () => {
  it('n_l = min(ceil(0.1 n), 25)', () => {
    expect([1, 9, 10, 11, 100, 250, 251, 1000].map(nBelow)).toEqual([1, 1, 1, 2, 10, 25, 25, 25]);
  });

  it('weights: ones below 25, else linspace(1/n, 1, n-25) then 25 ones', () => {
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    expect(defaultWeights(25)).toEqual(new Array(25).fill(1));
    const w = defaultWeights(28); // linspace(1/28, 1, 3) = [1/28, (1/28 + 1)/2, 1]
    expect(w.length).toBe(28);
    expect(w[0]).toBeCloseTo(1 / 28, 12);
    expect(w[1]).toBeCloseTo((1 / 28 + 1) / 2, 12);
    expect(w.slice(2)).toEqual(new Array(26).fill(1));
    expect(defaultWeights(26)).toEqual([1 / 26, ...new Array(25).fill(1)]);
  });

  it('ranks completed by value, then stopped by frame reached and last value, then pending', () => {
    const o = (trial: number, state: 'completed' | 'stopped', value: number | null, frame: number, lastValue: number | null): Observation => ({ trial, values: { t: trial }, state, value, frame, lastValue });
    const ranked = rankForSplit(
      [o(0, 'stopped', 50, 1000, 50), o(1, 'completed', 10, 3000, 10), o(2, 'completed', null, 3000, null), o(3, 'stopped', 80, 1000, 80), o(4, 'completed', 30, 3000, 30), o(5, 'stopped', 1, 2000, 1)],
      [{ t: 6 }, { t: 7 }],
      6,
    );
    expect(ranked.map((r) => r.trial)).toEqual([4, 1, 2, 5, 3, 0, 6, 7]);
  });
});
