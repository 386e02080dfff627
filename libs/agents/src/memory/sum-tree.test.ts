import { describe, expect, it } from 'vitest';
import { SumTree } from './sum-tree.js';

describe('SumTree', () => {
  it('keeps the total and each leaf through sets and overwrites', () => {
    const t = new SumTree(5);
    [1, 2, 3, 4, 5].forEach((p, i) => t.set(i, p));
    expect(t.total()).toBe(15);
    t.set(2, 0.5);
    expect(t.total()).toBe(12.5); // 15 - 3 + 0.5
    expect(t.get(2)).toBe(0.5);
    expect(Array.from(t.leaves())).toEqual([1, 2, 0.5, 4, 5]);
  });

  it('finds leaves by prefix sum (hand-computed boundaries)', () => {
    // priorities 1,2,3,4 -> cumulative 1,3,6,10: [0,1)->0, [1,3)->1, [3,6)->2, [6,10)->3
    const t = new SumTree(4);
    [1, 2, 3, 4].forEach((p, i) => t.set(i, p));
    const cases: [number, number][] = [
      [0, 0], [0.999, 0], [1, 1], [2.5, 1], [2.999, 1], [3, 2], [5.99, 2], [6, 3], [9.99, 3],
    ];
    for (const [s, leaf] of cases) expect(t.find(s), `s=${s}`).toBe(leaf);
  });

  it('never returns a zero-priority leaf and clamps a draw at the total to the last positive leaf', () => {
    const t = new SumTree(6); // width 8, leaves 6,7 unused
    [0, 2, 0, 0, 3, 0].forEach((p, i) => t.set(i, p));
    expect(t.find(0)).toBe(1);
    expect(t.find(1.99)).toBe(1);
    expect(t.find(2)).toBe(4);
    expect(t.find(4.999)).toBe(4);
    expect(t.find(5)).toBe(4);
    expect(t.find(5 + 1e-9)).toBe(4);
  });

  it('samples in proportion to priority', () => {
    const t = new SumTree(3);
    [1, 0, 3].forEach((p, i) => t.set(i, p));
    const counts = [0, 0, 0];
    const n = 40000;
    for (let k = 0; k < n; k++) counts[t.find(((k + 0.5) / n) * t.total())]++;
    expect(counts[0] / n).toBeCloseTo(0.25, 3);
    expect(counts[1]).toBe(0);
    expect(counts[2] / n).toBeCloseTo(0.75, 3);
  });

  it('setLeaves rebuilds the same tree as individual sets', () => {
    const a = new SumTree(7);
    const vals = [0.3, 1.2, 0, 4, 2.2, 0.1, 9];
    vals.forEach((p, i) => a.set(i, p));
    const b = new SumTree(7);
    b.setLeaves(vals);
    expect(b.total()).toBeCloseTo(a.total(), 12);
    for (const s of [0, 0.5, 1.6, 5, 7.7, 16.7]) expect(b.find(s)).toBe(a.find(s));
  });

  it('rejects bad priorities and indices', () => {
    const t = new SumTree(2);
    expect(() => t.set(2, 1)).toThrow(RangeError);
    expect(() => t.set(0, -1)).toThrow(RangeError);
    expect(() => t.set(0, Number.NaN)).toThrow(RangeError);
  });
});
