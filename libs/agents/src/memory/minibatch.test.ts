import { describe, expect, it } from 'vitest';
import { Rng } from '@gymlab/random';
import { gatherRows, MinibatchIterator } from './minibatch.js';

describe('MinibatchIterator', () => {
  it('each epoch visits every row once, in minibatches of the given size (the last one smaller)', () => {
    const it = new MinibatchIterator(new Rng(0));
    const seen: number[][] = [];
    const sizes: number[] = [];
    const count = it.forEach(10, 4, 3, (idx, n, epoch) => {
      seen[epoch] = [...(seen[epoch] ?? []), ...Array.from(idx.subarray(0, n))];
      sizes.push(n);
    });
    expect(count).toBe(9);
    expect(sizes).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2]);
    for (const order of seen) expect([...order].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen[0]).not.toEqual(seen[1]); // reshuffled each epoch
  });
  it('is the seeded Fisher-Yates shuffle of the generator, continued across epochs, and reuses one index buffer', () => {
    const rng = new Rng(7);
    const bufs = new Set<Int32Array>();
    const got: number[] = [];
    new MinibatchIterator(rng).forEach(6, 6, 2, (idx, n) => {
      bufs.add(idx);
      got.push(...Array.from(idx.subarray(0, n)));
    });
    const ref = new Rng(7);
    const perm = Int32Array.from([0, 1, 2, 3, 4, 5]);
    ref.shuffle(perm);
    const first = Array.from(perm);
    ref.shuffle(perm);
    expect(got).toEqual([...first, ...Array.from(perm)]);
    expect(bufs.size).toBe(1);
  });
  it('refuses sizes that are not positive integers', () => {
    const it = new MinibatchIterator(new Rng(0));
    expect(() => it.forEach(0, 4, 1, () => undefined)).toThrow(/batch size/);
    expect(() => it.forEach(4, 0, 1, () => undefined)).toThrow(/minibatch size/);
  });
  it('gatherRows copies the chosen rows', () => {
    const out = gatherRows([0, 1, 10, 11, 20, 21], 2, Int32Array.of(2, 0), 2, new Float32Array(4));
    expect(Array.from(out)).toEqual([20, 21, 0, 1]);
  });
});
