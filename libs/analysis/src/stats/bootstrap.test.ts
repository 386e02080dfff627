import { describe, expect, it } from 'vitest';
import { bootstrapCi, bootstrapCis, trialReturnStats } from './bootstrap.js';
import { iqm, mean, median } from './summary.js';

const sample = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('bootstrapCi', () => {
  it('a constant sample has a zero-width interval at the constant', () => {
    const ci = bootstrapCi([4, 4, 4, 4, 4], mean, { seed: 1 });
    expect(ci).toEqual({ low: 4, high: 4, confidence: 0.95 });
  });

  it("a known sample's interval contains its statistic and has the expected width", () => {
    const ci = bootstrapCi(sample, mean, { seed: 1 });
    expect(ci.low).toBeLessThan(5.5);
    expect(ci.high).toBeGreaterThan(5.5);
    // normal approximation: 5.5 -/+ 1.96 * 2.872 / sqrt(10) = 3.72 .. 7.28 (population sd, as the bootstrap)
    expect(ci.low).toBeGreaterThan(3.3);
    expect(ci.low).toBeLessThan(4.1);
    expect(ci.high).toBeGreaterThan(6.9);
    expect(ci.high).toBeLessThan(7.7);
  });

  it('is reproducible with the seed and changes with another seed', () => {
    const a = bootstrapCi(sample, median, { seed: 11, reps: 500 });
    const b = bootstrapCi(sample, median, { seed: 11, reps: 500 });
    const c = bootstrapCi(sample, mean, { seed: 12, reps: 500 });
    const d = bootstrapCi(sample, mean, { seed: 11, reps: 500 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(d);
  });

  it('takes the (1-c)/2 and (1+c)/2 linear quantiles of the resampled statistics', () => {
    // A statistic that returns 0, 1, ..., B-1 in turn: the quantiles are those of 0..100.
    let k = 0;
    const counter = (): number => k++;
    const ci = bootstrapCi([1, 2], counter, { seed: 0, reps: 101, confidence: 0.9 });
    expect(ci.low).toBeCloseTo(5, 10); // h = 100 * 0.05
    expect(ci.high).toBeCloseTo(95, 10);
    k = 0;
    const ci2 = bootstrapCi([1, 2], counter, { seed: 0, reps: 4, confidence: 0.5 });
    expect(ci2.low).toBeCloseTo(0.75, 10); // sorted 0..3, h = 3 * 0.25
    expect(ci2.high).toBeCloseTo(2.25, 10);
  });

  it('the interval of a two-point sample spans the possible resample means', () => {
    // resample means of {0, 1} with n = 2 are 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4
    const ci = bootstrapCi([0, 1], mean, { seed: 5, confidence: 0.9 });
    expect(ci).toEqual({ low: 0, high: 1, confidence: 0.9 });
  });

  it('rejects bad options with one-line messages', () => {
    expect(() => bootstrapCi(sample, mean, { seed: 1, reps: 0 })).toThrow('bootstrapCi: reps = 0 (allowed: an integer >= 1)');
    expect(() => bootstrapCi(sample, mean, { seed: 1, confidence: 1 })).toThrow('bootstrapCi: confidence = 1 (allowed: 0 < confidence < 1)');
    expect(() => bootstrapCi(sample, mean, { seed: 1.5 })).toThrow('bootstrapCi: seed = 1.5 (allowed: an integer)');
    expect(() => bootstrapCi([], mean, { seed: 1 })).toThrow('bootstrapCi: empty sample');
  });
});

describe('trialReturnStats', () => {
  it('gives mean, median and IQM with intervals that contain them', () => {
    const finals = [100, 300, 200, 500, 450];
    const s = trialReturnStats(finals, { reps: 1000 });
    expect(s.n).toBe(5);
    expect(s.mean.value).toBe(310);
    expect(s.median.value).toBe(300);
    expect(s.iqm.value).toBeCloseTo((200 + 300 + 450) / 3, 12);
    for (const e of [s.mean, s.median, s.iqm]) {
      expect(e.ci.low).toBeLessThanOrEqual(e.value);
      expect(e.ci.high).toBeGreaterThanOrEqual(e.value);
      expect(e.ci.high).toBeGreaterThan(e.ci.low);
    }
    expect(trialReturnStats(finals, { reps: 1000 })).toEqual(s); // default seed 0
    expect(s.iqm.ci).toEqual(bootstrapCi(finals, iqm, { seed: 0, reps: 1000 }));
  });
});

describe('bootstrapCi resamples as numpy does', () => {
  it("draws numpy's default_rng(seed).integers(0, n, size=(B, n)): the interval equals numpy's", () => {
    // numpy 2.4.6: x[default_rng(7).integers(0, 10, size=(200, 10))].mean(axis=1), percentile 2.5 and 97.5.
    const x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const ci = bootstrapCi(x, mean, { seed: 7, reps: 200 });
    expect(ci.low).toBeCloseTo(2.5975, 12);
    expect(ci.high).toBeCloseTo(5.4, 12);
  });
});

describe('bootstrapCis', () => {
  it('equals bootstrapCi on each sample (samples of several lengths, one seed)', () => {
    const samples = [[1, 2, 3, 4], [10, -2, 7.5], [3, 3.5, 9, 1], [42], [0.1, 0.2, 0.4, 0.8, 1.6]];
    const opts = { seed: 11, reps: 300, confidence: 0.9 };
    expect(bootstrapCis(samples, median, opts)).toEqual(samples.map((s) => bootstrapCi(s, median, opts)));
  });

  it('checks each sample as bootstrapCi does', () => {
    expect(() => bootstrapCis([[1, 2], [Number.NaN]], mean, { seed: 0 })).toThrow(/bootstrapCi: value \[0\] is NaN/);
  });
});
