import { describe, expect, it } from 'vitest';
import { advantageNormalization, PercentileNormalizer, quantile, RunningMeanStd, standardize } from './on-policy-stats.js';

describe('RunningMeanStd', () => {
  it('matches the mean and population variance of everything seen (count starts at 1e-4)', () => {
    const r = new RunningMeanStd();
    r.update([1, 2, 3]);
    r.update([10, 20]);
    // all = [1, 2, 3, 10, 20]: mean 7.2, population var = (38.44 + 27.04 + 17.64 + 7.84 + 163.84) / 5 = 50.96
    expect(r.mean).toBeCloseTo(7.2, 3);
    expect(r.var).toBeCloseTo(50.96, 2);
    expect(r.count).toBeCloseTo(5, 3);
    expect(r.std).toBeCloseTo(Math.sqrt(r.var + 1e-8), 12);
  });
});

describe('advantage normalisation', () => {
  it('quantile interpolates linearly between order statistics (numpy / torch default)', () => {
    const scratch = new Float64Array(4);
    expect(quantile([4, 1, 3, 2], 4, 0.5, scratch)).toBeCloseTo(2.5, 12);
    expect(quantile([4, 1, 3, 2], 4, 0.05, scratch)).toBeCloseTo(1.15, 12); // position 0.15
    expect(quantile([4, 1, 3, 2], 4, 1, scratch)).toBe(4);
  });
  it('percentile: EMA (0.99, from 0) of p5 and p95, scale max(1, p95 - p5), no centring', () => {
    const p = new PercentileNormalizer();
    const x = Float32Array.from({ length: 21 }, (_, i) => 100 * i); // p5 = 100, p95 = 1900
    p.updateAndNormalize(x, 21);
    expect(p.perc5).toBeCloseTo(1, 10);
    expect(p.perc95).toBeCloseTo(19, 10);
    expect(x[21 - 1]).toBeCloseTo(2000 / 18, 3);
    const small = Float32Array.of(-1, 0, 1, 2);
    p.updateAndNormalize(small, 4); // perc95 - perc5 now about 17.8: still divides
    expect(small[3]).toBeCloseTo(2 / (p.perc95 - p.perc5), 5);
    const q = new PercentileNormalizer();
    const y = Float32Array.of(-1, 0, 1, 2);
    q.updateAndNormalize(y, 4); // spread 0.0285 < 1: scale 1
    expect(Array.from(y)).toEqual([-1, 0, 1, 2]);
  });
  it('standardize: zero mean, unit unbiased std; modes from normalize_advantages', () => {
    const x = Float32Array.of(1, 2, 3);
    standardize(x, 3);
    expect(x[0]).toBeCloseTo(-1, 6);
    expect(x[2]).toBeCloseTo(1, 6);
    expect([true, 'standardize', 'percentile', false, null].map(advantageNormalization)).toEqual(['standardize', 'standardize', 'percentile', 'none', 'none']);
  });
});
