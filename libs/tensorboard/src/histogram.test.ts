import { describe, expect, it } from 'vitest';
import { EventWriterError } from './errors.js';
import { DBL_MAX, checkHistogram, compactBuckets, computeHistogram, defaultBucketLimits, discreteHistogram } from './histogram.js';
import { seededRandom } from './test-utils/hex.js';

describe('defaultBucketLimits (TensorFlow histogram.cc)', () => {
  const limits = defaultBucketLimits();
  const mid = (limits.length - 1) / 2;

  it('is -DBL_MAX .. -1e-12, 0, 1e-12 .. DBL_MAX, symmetric, strictly increasing', () => {
    expect(limits.length % 2).toBe(1);
    expect(limits[0]).toBe(-DBL_MAX);
    expect(limits[limits.length - 1]).toBe(DBL_MAX);
    expect(limits[mid]).toBe(0);
    expect(limits[mid + 1]).toBe(1e-12);
    expect(limits[mid - 1]).toBe(-1e-12);
    for (let i = 1; i < limits.length; i++) expect(limits[i]).toBeGreaterThan(limits[i - 1]);
    for (let i = 0; i < limits.length; i++) expect(limits[limits.length - 1 - i] + limits[i]).toBe(0);
  });

  it('grows by 1.1 from 1e-12 and stops at the first value >= 1e20', () => {
    expect(limits[mid + 2]).toBe(1e-12 * 1.1);
    expect(limits[mid + 3]).toBe(1e-12 * 1.1 * 1.1);
    const lastFinite = limits[limits.length - 2];
    expect(lastFinite).toBeLessThan(1e20);
    expect(lastFinite * 1.1).toBeGreaterThanOrEqual(1e20);
    // ceil(log(1e32) / log(1.1)) = 774 positive finite limits, so 2 * 775 + 1 in all.
    expect(Math.ceil(32 * Math.log(10) / Math.log(1.1))).toBe(774);
    expect(limits.length).toBe(1551);
  });

  it('returns a copy', () => {
    defaultBucketLimits()[0] = 5;
    expect(defaultBucketLimits()[0]).toBe(-DBL_MAX);
  });
});

describe('computeHistogram', () => {
  it('gives min, max, num, sum and sum of squares', () => {
    const h = computeHistogram([0.5, 0.5, -2, 3]);
    expect([h.min, h.max, h.num, h.sum, h.sumSquares]).toEqual([-2, 3, 4, 2, 13.5]);
  });

  it('puts x in the bucket [limit[b-1], limit[b]) (upper bound), trims empty ends, collapses inner empty runs', () => {
    // limits 0 1 2 3 4 5: 0.5 -> bucket of limit 1; 3.5 -> limit 4; 1 (on a limit) -> limit 2.
    expect(computeHistogram([0.5, 3.5], { bucketLimits: [0, 1, 2, 3, 4, 5] })).toMatchObject({ bucketLimit: [1, 3, 4], bucket: [1, 0, 1] });
    expect(computeHistogram([1], { bucketLimits: [0, 1, 2] })).toMatchObject({ bucketLimit: [2], bucket: [1] });
    expect(computeHistogram([-7], { bucketLimits: [0, 1, 2] })).toMatchObject({ bucketLimit: [0], bucket: [1] });
  });

  it('puts values at or above the last limit in the last bucket', () => {
    expect(computeHistogram([9, 2], { bucketLimits: [0, 1, 2] })).toMatchObject({ bucketLimit: [2], bucket: [2] });
    expect(computeHistogram([DBL_MAX])).toMatchObject({ bucketLimit: [DBL_MAX], bucket: [1] });
  });

  it('agrees with a linear scan over the default limits on random data; counts sum to num', () => {
    const rand = seededRandom(3);
    const values = Float32Array.from({ length: 2000 }, () => (rand() - 0.5) * 10 ** (rand() * 8 - 4));
    values[0] = 0;
    const limits = defaultBucketLimits();
    const counts = new Array<number>(limits.length).fill(0);
    for (const x of values) counts[limits.findIndex((l) => l > x)] += 1;
    const first = counts.findIndex((c) => c > 0);
    const last = counts.length - 1 - [...counts].reverse().findIndex((c) => c > 0);
    const expectLimit: number[] = [];
    const expectCount: number[] = [];
    for (let i = first; i <= last; i++) {
      if (counts[i] === 0 && expectCount[expectCount.length - 1] === 0) expectLimit[expectLimit.length - 1] = limits[i];
      else {
        expectLimit.push(limits[i]);
        expectCount.push(counts[i]);
      }
    }
    const h = computeHistogram(values);
    expect(h.bucketLimit).toEqual(expectLimit);
    expect(h.bucket).toEqual(expectCount);
    expect(h.bucket.reduce((s, c) => s + c, 0)).toBe(h.num);
    expect(h.num).toBe(2000);
    expect(h.min).toBe(Math.min(...values));
    expect(h.max).toBe(Math.max(...values));
  });

  it('writes the empty histogram as EncodeToProto does: one (DBL_MAX, 0) bucket', () => {
    expect(computeHistogram([])).toEqual({ min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [DBL_MAX], bucket: [0] });
  });

  it('rejects NaN and Infinity by default, naming the tag and index; drops them on request', () => {
    expect(() => computeHistogram([1, NaN], { tag: 'w' })).toThrow("histogram 'w': value 1 is NaN");
    expect(() => computeHistogram([Infinity])).toThrow(EventWriterError);
    expect(computeHistogram([1, NaN, -Infinity, 2], { nonFinite: 'drop' })).toMatchObject({ num: 2, sum: 3, min: 1, max: 2 });
  });

  it('rejects bucket limits that do not increase', () => {
    expect(() => computeHistogram([1], { bucketLimits: [0, 2, 2] })).toThrow('bucket limit 2 (2) is not above limit 1');
    expect(() => computeHistogram([1], { bucketLimits: [] })).toThrow('bucket limits are empty');
  });

  it('reuses a scratch buffer without carrying counts over', () => {
    const scratch = new Float64Array(1551);
    computeHistogram([1, 2, 3], { scratch });
    expect(computeHistogram([5], { scratch }).bucket).toEqual([1]);
  });
});

describe('compactBuckets', () => {
  it('keeps only the non-empty range, one bucket per empty run', () => {
    expect(compactBuckets([1, 2, 3, 4, 5, 6, 7], [0, 2, 0, 0, 0, 3, 0])).toEqual({ bucketLimit: [2, 5, 6], bucket: [2, 0, 3] });
    expect(compactBuckets([1, 2], [0, 0])).toEqual({ bucketLimit: [DBL_MAX], bucket: [0] });
  });
});

describe('discreteHistogram', () => {
  it('gives one unit-wide bucket per value from the first to the last non-empty', () => {
    expect(discreteHistogram([0, 3, 0, 1])).toEqual({
      min: 0.5, max: 3.5, num: 4, sum: 1 * 3 + 3 * 1, sumSquares: 1 * 3 + 9 * 1, bucketLimit: [1.5, 2.5, 3.5], bucket: [3, 0, 1],
    });
  });

  it('rejects negative counts', () => {
    expect(() => discreteHistogram([1, -1], 'actions')).toThrow("histogram 'actions': count 1 is -1");
  });
});

describe('checkHistogram', () => {
  const ok = { min: 0, max: 1, num: 3, sum: 1, sumSquares: 1, bucketLimit: [0.5, 1], bucket: [2, 1] };

  it('accepts a consistent histogram', () => {
    expect(() => checkHistogram(ok)).not.toThrow();
  });

  it('rejects mismatched lengths, counts that do not sum to num, min above max', () => {
    expect(() => checkHistogram({ ...ok, bucket: [3] }, 'h')).toThrow('bucket has 1 counts but bucketLimit has 2 limits');
    expect(() => checkHistogram({ ...ok, num: 4 }, 'h')).toThrow('num is 4 but the buckets sum to 3');
    expect(() => checkHistogram({ ...ok, min: 2 }, 'h')).toThrow('min 2 is above max 1');
    expect(() => checkHistogram({ ...ok, sum: NaN }, 'h')).toThrow('sum is NaN');
  });
});
