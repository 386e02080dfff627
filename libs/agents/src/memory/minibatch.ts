/**
 * The one minibatch iterator of on-policy training (PPO, A2C, SIL): `epochs` passes over a batch of
 * `size` rows, each pass a fresh seeded shuffle cut into minibatches of `minibatchSize` rows (the
 * last one smaller when `size` is not a multiple). Index buffers are allocated once and grown only
 * when a larger batch arrives; `gatherRows` copies the chosen rows into caller-owned buffers.
 */
import type { Rng } from '@gymlab/random';

/** Called once per minibatch: `idx[0..n)` are the batch rows in it (a buffer reused across calls). */
export type MinibatchFn = (idx: Int32Array, n: number, epoch: number) => void;

export class MinibatchIterator {
  private perm = new Int32Array(0);
  private idx = new Int32Array(0);

  constructor(private readonly rng: Rng) {}

  /**
   * For each of `epochs` epochs: shuffles 0..size-1 (continuing the previous epoch's order, as an
   * in-place Fisher-Yates does) and calls `fn` on consecutive slices of `minibatchSize`. Returns the
   * number of minibatches.
   */
  forEach(size: number, minibatchSize: number, epochs: number, fn: MinibatchFn): number {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`minibatches: batch size must be a positive integer, got ${size}`);
    if (!(Number.isInteger(minibatchSize) && minibatchSize >= 1)) throw new RangeError(`minibatches: minibatch size must be a positive integer, got ${minibatchSize}`);
    if (!(Number.isInteger(epochs) && epochs >= 0)) throw new RangeError(`minibatches: epochs must be an integer >= 0, got ${epochs}`);
    if (this.perm.length < size) this.perm = new Int32Array(size);
    if (this.idx.length < minibatchSize) this.idx = new Int32Array(minibatchSize);
    const idx = this.idx;
    const perm = this.perm.subarray(0, size);
    for (let i = 0; i < size; i++) perm[i] = i;
    let count = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      this.rng.shuffle(perm);
      for (let start = 0; start < size; start += minibatchSize) {
        const n = Math.min(minibatchSize, size - start);
        for (let k = 0; k < n; k++) idx[k] = perm[start + k];
        fn(idx, n, epoch);
        count++;
      }
    }
    return count;
  }
}

/** Copies rows `idx[0..n)` of `src` (rows of `width` numbers) into `out` [n * width]; returns `out`. */
export function gatherRows<T extends Float32Array | Float64Array>(src: ArrayLike<number>, width: number, idx: ArrayLike<number>, n: number, out: T): T {
  for (let k = 0; k < n; k++) {
    const from = idx[k] * width;
    const to = k * width;
    for (let c = 0; c < width; c++) out[to + c] = src[from + c];
  }
  return out;
}
