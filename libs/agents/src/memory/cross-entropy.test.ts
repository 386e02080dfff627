import { describe, expect, it } from 'vitest';
import { eliteEpisodes, finishedEpisodes, percentileLinear } from './cross-entropy.js';
import { OnPolicyMemory } from './on-policy.js';

describe('percentileLinear (numpy.percentile, method linear)', () => {
  it('interpolates between order statistics at (n-1) q / 100, by hand', () => {
    // sorted [1, 2, 3, 4]: q 50 -> index 1.5 -> 2.5; q 25 -> index 0.75 -> 1.75; q 0 / 100 -> min / max
    expect(percentileLinear([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentileLinear([4, 1, 3, 2], 25)).toBe(1.75);
    expect(percentileLinear([4, 1, 3, 2], 0)).toBe(1);
    expect(percentileLinear([4, 1, 3, 2], 100)).toBe(4);
    // n = 3, q 50 -> the median exactly; q 80 -> index 1.6 -> 10 + 0.6 * (30 - 10) = 22 (from above: 30 - 20 * 0.4)
    expect(percentileLinear([30, 10, -5], 50)).toBe(10);
    expect(percentileLinear([30, 10, -5], 80)).toBe(22);
    expect(percentileLinear([7], 37)).toBe(7);
    expect(() => percentileLinear([], 50)).toThrow(/no values/);
    expect(() => percentileLinear([1], 101)).toThrow(/\[0, 100\]/);
  });
});

/** One vector step of 2 sub-envs: observations k and 10 + k, rewards r, episode ends at `ends`. */
const step = (k: number, r: [number, number], ends: [number, number] = [0, 0], truncated = false) => ({
  obs: Float32Array.of(k, 10 + k),
  action: Int32Array.of(k % 2, 1 - (k % 2)),
  reward: Float64Array.from(r),
  nextObs: Float32Array.of(k + 1, 11 + k),
  terminated: truncated ? Uint8Array.of(0, 0) : Uint8Array.from(ends),
  truncated: truncated ? Uint8Array.from(ends) : Uint8Array.of(0, 0),
});

describe('OnPolicyCrossEntropy batches', () => {
  // sub-env 0: an episode of rows 0-1 (total 3), then rows 2-4 (total 9, truncated), then a tail at row 5
  // sub-env 1: one episode of rows 0-3 (total 4), then a tail at rows 4-5
  const memory = (): OnPolicyMemory => {
    const m = new OnPolicyMemory({ kind: 'episodic', numEnvs: 2, obsSize: 1, actionSize: 1, episodes: 3 });
    m.add(step(0, [1, 1]));
    m.add(step(1, [2, 1], [1, 0]));
    m.add(step(2, [3, 1]));
    m.add(step(3, [3, 1], [0, 1]));
    m.add(step(4, [3, 5], [1, 0], true));
    m.add(step(5, [8, 8]));
    return m;
  };

  it('finds the episodes that end in the batch, sub-env by sub-env, with their totals (tails left out)', () => {
    expect(finishedEpisodes(memory().batch())).toEqual([
      { env: 0, start: 0, end: 1, total: 3 },
      { env: 0, start: 2, end: 4, total: 9 },
      { env: 1, start: 0, end: 3, total: 4 },
    ]);
  });

  it('keeps the episodes with total >= the cross_entropy quantile, whole, as one column', () => {
    // totals [3, 9, 4]: quantile 0.5 = 4 -> keeps the 9 (rows 2-4 of env 0) and the 4 (rows 0-3 of env 1)
    const b = eliteEpisodes(memory().batch(), 0.5);
    expect(b.numEnvs).toBe(1);
    expect(b.steps).toBe(7);
    expect(b.size).toBe(7);
    expect(Array.from(b.obs)).toEqual([2, 3, 4, 10, 11, 12, 13]);
    expect(Array.from(b.nextObs)).toEqual([3, 4, 5, 11, 12, 13, 14]);
    expect(Array.from(b.actions)).toEqual([0, 1, 0, 1, 0, 1, 0]);
    expect(Array.from(b.rewards)).toEqual([3, 3, 3, 1, 1, 1, 1]);
    expect(Array.from(b.terminated)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(b.truncated)).toEqual([0, 0, 1, 0, 0, 0, 0]);
    // quantile 0.9 = 4 + 0.8 * (9 - 4) = 8 -> only the 9
    expect(Array.from(eliteEpisodes(memory().batch(), 0.9).obs)).toEqual([2, 3, 4]);
    // quantile 0 = the minimum: every finished episode, still without the tails
    expect(eliteEpisodes(memory().batch(), 0).steps).toBe(9);
  });

  it('cross_entropy 1 trains on the memory unfiltered, as SLM Lab (tails included)', () => {
    const m = memory();
    expect(eliteEpisodes(m.batch(), 1)).toEqual(m.batch());
  });
});
