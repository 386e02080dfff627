import { describe, expect, it } from 'vitest';
import { searchStream } from '../rng.js';
import { categoricalMixture, erfc, logNormMass, mixtureLogPdf, normCdf, normPpf, numericMixture, sampleMixture } from './parzen.js';

describe('normal functions', () => {
  it('erfc matches tabulated values to 1.2e-7 relative', () => {
    const table: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [-1, 1.8427007929497148],
      [4, 1.541725790028002e-8],
    ];
    for (const [x, want] of table) expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1.2e-7);
  });

  it('Phi^-1 inverts Phi, and hits the 97.5% quantile', () => {
    expect(normPpf(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normPpf(0.5)).toBeCloseTo(0, 12);
    for (const x of [-5, -2.5, -0.3, 0.7, 3]) expect(normPpf(normCdf(x))).toBeCloseTo(x, 5);
  });

  it('log mass of [z1, z2] is accurate in both tails', () => {
    expect(Math.exp(logNormMass(-1, 1))).toBeCloseTo(0.6826894921, 6);
    // upper tail, where 1 - Phi would lose everything: mass of [6, 7] = Phi(-6) - Phi(-7)
    expect(Math.exp(logNormMass(6, 7))).toBeCloseTo(9.8658765e-10 - 1.2798125e-12, 15);
  });
});

describe('numeric Parzen estimator (univariate, prior, magic clip)', () => {
  it('bandwidths: larger gap to a neighbour, inner gap at the ends, clipped', () => {
    // observations 0.1, 0.12, 0.9 on [0, 1]; with the prior mean 0.5 sorted: 0.1 0.12 0.5 0.9, padded 0 .. 1
    // 0.1 (first): gap to its inner neighbour 0.02; 0.12: max(0.02, 0.38) = 0.38; 0.9 (last): inner gap 0.4
    // clip to [1 / min(100, 1 + 4), 1] = [0.2, 1]: 0.02 -> 0.2
    const m = numericMixture([0.1, 0.12, 0.9], [1, 1, 1], { low: 0, high: 1, step: null });
    expect(m.mus).toEqual([0.1, 0.12, 0.9, 0.5]);
    expect(m.sigmas[0]).toBeCloseTo(0.2, 12);
    expect(m.sigmas[1]).toBeCloseTo(0.38, 12);
    expect(m.sigmas[2]).toBeCloseTo(0.4, 12);
    expect(m.sigmas[3]).toBe(1); // prior: high - low
    expect(m.weights).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('a step widens the range by half a step on each side', () => {
    // lattice 0..4 step 1: prior N(2, 5); clip to [5 / min(100, 1 + 2), 5]
    const m = numericMixture([1], [1], { low: 0, high: 4, step: 1 });
    expect(m.sigmas).toEqual([5 / 3, 5]);
  });

  it('the density integrates to 1 and the masses of a lattice sum to 1', () => {
    const m = numericMixture([0.2, 0.3, 0.8], [0.5, 1, 1], { low: 0, high: 1, step: null });
    let total = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) total += Math.exp(mixtureLogPdf(m, (i + 0.5) / n)) / n;
    expect(total).toBeCloseTo(1, 4);
    expect(mixtureLogPdf(m, 1.2)).toBe(-Infinity);
    const d = numericMixture([3, 3, 7], [1, 1, 1], { low: 0, high: 10, step: 1 });
    let mass = 0;
    for (let x = 0; x <= 10; x++) mass += Math.exp(mixtureLogPdf(d, x));
    expect(mass).toBeCloseTo(1, 6);
  });

  it('draws follow the density (mean of 20000 draws vs the integral)', () => {
    const m = numericMixture([0.15, 0.2, 0.9], [1, 1, 1], { low: 0, high: 1, step: null });
    const rng = searchStream(5, 0, 0);
    let sum = 0;
    const draws = 20000;
    for (let i = 0; i < draws; i++) {
      const x = sampleMixture(m, rng);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
      sum += x;
    }
    let mean = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) mean += ((i + 0.5) / n) * Math.exp(mixtureLogPdf(m, (i + 0.5) / n)) / n;
    expect(sum / draws).toBeCloseTo(mean, 2);
    const d = numericMixture([2], [1], { low: 0, high: 4, step: 1 });
    for (let i = 0; i < 200; i++) expect(Number.isInteger(sampleMixture(d, rng))).toBe(true);
  });
});

describe('categorical Parzen estimator', () => {
  it('kernel = prior_weight / n on every choice + 1 on its own, normalized; plus a uniform prior kernel', () => {
    const m = categoricalMixture([2], [1], 3);
    expect(m.probs[0].map((p) => p * 6)).toEqual([1, 1, 4].map((x) => expect.closeTo(x, 12)));
    expect(m.probs[1]).toEqual([1 / 3, 1 / 3, 1 / 3]);
    // P(2) = (1/2)(2/3) + (1/2)(1/3) = 1/2; P(0) = (1/2)(1/6) + (1/2)(1/3) = 1/4
    expect(Math.exp(mixtureLogPdf(m, 2))).toBeCloseTo(0.5, 12);
    expect(Math.exp(mixtureLogPdf(m, 0))).toBeCloseTo(0.25, 12);
    const rng = searchStream(1, 0, 0);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[sampleMixture(m, rng)]++;
    expect(counts[2] / 30000).toBeCloseTo(0.5, 1);
  });
});
