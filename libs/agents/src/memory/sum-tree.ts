/**
 * A sum tree over `capacity` non-negative priorities: O(log n) update and prefix-sum search, O(1)
 * total. Leaves sit in index order at the bottom of a complete binary tree (capacity rounded up to a
 * power of two), so `find(s)` returns the first leaf whose cumulative priority exceeds `s`. Parent
 * sums are recomputed from their children on every update (no drift from accumulated deltas).
 */
export class SumTree {
  readonly capacity: number;
  /** Leaves start at `leafBase` in `tree`; node i has children 2i+1 and 2i+2. */
  private readonly leafBase: number;
  private readonly tree: Float64Array;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`SumTree capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    let width = 1;
    while (width < capacity) width *= 2;
    this.leafBase = width - 1;
    this.tree = new Float64Array(2 * width - 1);
  }

  /** Sum of all priorities. */
  total(): number {
    return this.tree[0];
  }

  /** Priority of leaf `i`. */
  get(i: number): number {
    return this.tree[this.leafBase + i];
  }

  /** Sets leaf `i` to priority `p` (finite, >= 0) and refreshes the sums above it. */
  set(i: number, p: number): void {
    if (i < 0 || i >= this.capacity) throw new RangeError(`SumTree index ${i} out of range [0, ${this.capacity})`);
    if (!(p >= 0) || !Number.isFinite(p)) throw new RangeError(`SumTree priority must be finite and >= 0, got ${p}`);
    let node = this.leafBase + i;
    this.tree[node] = p;
    while (node > 0) {
      node = (node - 1) >> 1;
      this.tree[node] = this.tree[2 * node + 1] + this.tree[2 * node + 2];
    }
  }

  /**
   * The leaf holding cumulative mass `s`: the smallest i with prefix(i+1) > s, for s in [0, total).
   * Values at or beyond the total (rounding) land on the last leaf with non-zero priority; a leaf of
   * priority 0 is never returned while the total is positive.
   */
  find(s: number): number {
    const tree = this.tree;
    let node = 0;
    let rest = s;
    while (node < this.leafBase) {
      const left = 2 * node + 1;
      const right = left + 1;
      if ((rest < tree[left] && tree[left] > 0) || tree[right] <= 0) {
        node = left;
      } else {
        rest -= tree[left];
        node = right;
      }
    }
    return node - this.leafBase;
  }

  /** Leaf priorities, for checkpoints and tests. */
  leaves(): Float64Array {
    return this.tree.slice(this.leafBase, this.leafBase + this.capacity);
  }

  /** Sets every leaf at once (from `leaves()`), rebuilding the sums bottom-up. */
  setLeaves(values: ArrayLike<number>): void {
    if (values.length !== this.capacity) throw new RangeError(`SumTree.setLeaves needs ${this.capacity} values, got ${values.length}`);
    this.tree.fill(0);
    for (let i = 0; i < values.length; i++) this.tree[this.leafBase + i] = values[i];
    for (let node = this.leafBase - 1; node >= 0; node--) this.tree[node] = this.tree[2 * node + 1] + this.tree[2 * node + 2];
  }
}
