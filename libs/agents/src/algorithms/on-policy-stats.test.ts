import { describe, expect, it } from 'vitest';
import { RunningMeanStd } from './on-policy-stats.js';

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
