import { describe, expect, it } from 'vitest';
import { calcConsistency, calcEfficiency, calcStability, calcStrength, nanMax, nanMean, nanStd, nanSum } from './slm-metrics.js';

describe('pandas-like reductions', () => {
  it('skip NaN like pandas', () => {
    expect(nanSum([1, NaN, 2])).toBe(3);
    expect(nanSum([NaN])).toBe(0);
    expect(nanMean([1, NaN, 2])).toBe(1.5);
    expect(nanMean([NaN])).toBeNaN();
    expect(nanMax([NaN, -3, -1])).toBe(-1);
    expect(nanMax([])).toBeNaN();
    // sample std of 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, / 7
    expect(nanStd([2, 4, 4, 4, NaN, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(nanStd([3, NaN])).toBeNaN();
  });
});

describe('calcStrength', () => {
  it('is the mean of returns minus the random baseline', () => {
    const { strength, localStrengths } = calcStrength([NaN, 20, 15, 30], 10);
    expect(localStrengths.slice(1)).toEqual([10, 5, 20]);
    expect(localStrengths[0]).toBeNaN();
    expect(strength).toBeCloseTo(35 / 3, 12);
  });
});

describe('calcEfficiency', () => {
  it('sums str/t over finite ratios and divides by the sum of all strengths', () => {
    // strengths 10, 5, 20 at frames 100, 200, 300 (frame 0 row has no return)
    const { efficiency, localEfficiencies } = calcEfficiency([NaN, 10, 5, 20], [0, 100, 200, 300]);
    expect(efficiency).toBeCloseTo((0.1 + 0.025 + 20 / 300) / 35, 14);
    expect(localEfficiencies[0]).toBeNaN();
    expect(localEfficiencies[1]).toBeCloseTo(0.1 / 10, 14);
    expect(localEfficiencies[2]).toBeCloseTo(0.125 / 15, 14);
    expect(localEfficiencies[3]).toBeCloseTo(efficiency, 14);
  });
  it('drops an infinite ratio at t = 0 but keeps its strength in the denominator', () => {
    // SLM Lab: (2/0 -> inf dropped) ; eff = (4/2) / (2 + 4) = 1/3
    const { efficiency, localEfficiencies } = calcEfficiency([2, 4], [0, 2]);
    expect(efficiency).toBeCloseTo(1 / 3, 14);
    expect(localEfficiencies[0]).toBeNaN();
    expect(localEfficiencies[1]).toBeCloseTo(2 / 6, 14);
  });
  it('is NaN with no data and rejects mismatched lengths', () => {
    expect(calcEfficiency([], []).efficiency).toBeNaN();
    expect(() => calcEfficiency([1], [1, 2])).toThrow(/1 strengths but 2 times/);
  });
});

describe('calcStability', () => {
  it('is 1 - |sum of drops / sum of strengths before them|', () => {
    // strengths 10, 5, 20: drops -5, 0 over denominators 10, 5
    const { stability, localStabilities } = calcStability([NaN, 10, 5, 20]);
    expect(stability).toBeCloseTo(1 - 5 / 15, 14);
    expect(localStabilities[0]).toBeNaN();
    expect(localStabilities.slice(1)).toEqual([0.5, 1]);
  });
  it('is 1 for monotone improvement and NaN for a single checkpoint', () => {
    expect(calcStability([1, 2, 3]).stability).toBe(1);
    expect(calcStability([7]).stability).toBeNaN();
  });
});

describe('calcConsistency', () => {
  it('is 1 - 2 sum(std) / sum(mean) over checkpoints, truncated to the shortest session', () => {
    // sessions (10, 5, 20) and (2, 12, 8, 99): the 99 is cut.
    // means 6, 8.5, 14; sample stds |a-b|/sqrt(2) = 8, 7, 12 over sqrt(2)
    const { consistency, localConsistencies } = calcConsistency([
      [10, 5, 20],
      [2, 12, 8, 99],
    ]);
    expect(consistency).toBeCloseTo(1 - (2 * (27 / Math.SQRT2)) / 28.5, 12);
    expect(localConsistencies).toHaveLength(3);
    expect(localConsistencies[0]).toBeCloseTo(1 - (2 * (8 / Math.SQRT2)) / 6, 12);
  });
  it('is 1 for a single session and for identical sessions', () => {
    expect(calcConsistency([[1, 2, 3]]).consistency).toBe(1);
    expect(calcConsistency([[1, 2], [1, 2]]).consistency).toBe(1);
  });
  it('throws without sessions', () => {
    expect(() => calcConsistency([])).toThrow(/no sessions/);
  });
});
