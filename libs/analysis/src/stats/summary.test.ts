import { describe, expect, it } from 'vitest';
import { AnalysisError } from '../errors.js';
import { finiteValues, iqm, mean, meanOrNull, median, quantileSorted, sampleStd } from './summary.js';

describe('mean and median', () => {
  it('mean is the sum over n', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([-3])).toBe(-3);
  });
  it('median is the middle value (odd n) or the mean of the two middle values (even n)', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    iqm(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('iqm (scipy.stats.trim_mean(x, 0.25))', () => {
  it('IQM of 1..8 is 4.5 (drops 1, 2 and 7, 8)', () => {
    expect(iqm([8, 7, 6, 5, 4, 3, 2, 1])).toBe(4.5);
  });
  it('odd n = 5 drops floor(1.25) = 1 value from each end', () => {
    // sorted 1, 2, 3, 10, 100 -> mean(2, 3, 10) = 5
    expect(iqm([10, 1, 100, 3, 2])).toBe(5);
  });
  it('n = 10 drops floor(2.5) = 2 values from each end', () => {
    // sorted 1..9, 1000 -> mean(3, 4, 5, 6, 7, 8) = 5.5
    expect(iqm([1000, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(5.5);
  });
  it('n < 4 drops nothing', () => {
    expect(iqm([1, 2, 30])).toBe(11);
  });
});

describe('quantileSorted (numpy linear)', () => {
  it('interpolates between order statistics at h = (n-1) q', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75); // h = 0.75
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
  });
  it('rejects q outside [0, 1]', () => {
    expect(() => quantileSorted([1], 1.5)).toThrow(/q = 1.5 \(allowed: 0 <= q <= 1\)/);
  });
});

describe('sampleStd', () => {
  it('uses n - 1', () => {
    // mean 5, sum of squared deviations 32
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(sampleStd([3])).toBe(0);
  });
});

describe('bad input', () => {
  it('throws AnalysisError naming the function and the value', () => {
    expect(() => mean([])).toThrow(AnalysisError);
    expect(() => mean([])).toThrow('mean: empty sample (expected at least one finite number)');
    expect(() => median([1, NaN])).toThrow('median: value [1] is NaN (allowed: finite numbers)');
    expect(() => iqm([Infinity])).toThrow(/iqm: value \[0\] is Infinity/);
  });
});

describe('finiteValues / meanOrNull (table cells)', () => {
  it('keeps the finite numbers in order; the mean of none is null', () => {
    expect(finiteValues([3, null, NaN, undefined, -1, Infinity, 0])).toEqual([3, -1, 0]);
    expect(meanOrNull([1, 2, 6])).toBe(3);
    expect(meanOrNull([])).toBeNull();
  });
});
