/**
 * Gymnasium's `RunningMeanStd`: the mean, variance and count of everything seen so far, merged
 * batch by batch with the parallel algorithm (Chan et al.):
 *   delta = batch_mean - mean,  total = count + batch_count
 *   mean' = mean + delta * batch_count / total
 *   var'  = (var * count + batch_var * batch_count + delta^2 * count * batch_count / total) / total
 * starting from mean 0, var 1, count 1e-4. Arithmetic follows numpy's for the dtypes Gymnasium
 * uses: `float32` statistics (observations) round every operation to float32, Python scalars
 * (count, total) included; `float64` statistics (returns) compute in float64, with the batch
 * moments of a float32 batch rounded as numpy rounds them. Batch sums follow numpy's reduction
 * order (row by row over a 2-D batch's first axis, pairwise over a 1-D batch).
 */

export type FloatDType = 'float32' | 'float64';

/** The statistics as plain data (JSON-safe, exact: every value is a float64). */
export interface RunningMeanStdState {
  readonly mean: readonly number[];
  readonly var: readonly number[];
  readonly count: number;
}

const identity = (x: number): number => x;
const rounding = (dtype: FloatDType): ((x: number) => number) => (dtype === 'float32' ? Math.fround : identity);

/** numpy's pairwise summation of a[lo, lo + n) (its `pairwise_sum`, rounding each addition). */
function pairwiseSum(a: ArrayLike<number>, lo: number, n: number, r: (x: number) => number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = r(res + a[lo + i]);
    return res;
  }
  if (n <= 128) {
    const acc = [a[lo], a[lo + 1], a[lo + 2], a[lo + 3], a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let k = 0; k < 8; k++) acc[k] = r(acc[k] + a[lo + i + k]);
    }
    let res = r(r(r(acc[0] + acc[1]) + r(acc[2] + acc[3])) + r(r(acc[4] + acc[5]) + r(acc[6] + acc[7])));
    for (; i < n; i++) res = r(res + a[lo + i]);
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return r(pairwiseSum(a, lo, half, r) + pairwiseSum(a, lo + half, n - half, r));
}

/** numpy's `x.sum(axis=0)` of a [rows, cols] batch, row-major (1-D when `scalar`). */
function sumAxis0(x: ArrayLike<number>, rows: number, cols: number, scalar: boolean, r: (x: number) => number): Float64Array {
  const out = new Float64Array(cols);
  if (scalar) {
    out[0] = r(0 + pairwiseSum(x, 0, rows, r));
    return out;
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j] = r(out[j] + x[i * cols + j]);
  }
  return out;
}

/** numpy's `np.mean(x, axis=0)` and `np.var(x, axis=0)` of a [rows, cols] batch in `dtype`. */
export function batchMoments(
  x: ArrayLike<number>,
  rows: number,
  cols: number,
  dtype: FloatDType,
  scalar = false,
): { mean: Float64Array; var: Float64Array } {
  const r = rounding(dtype);
  const mean = sumAxis0(x, rows, cols, scalar, r).map((s) => r(s / rows));
  const sq = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const d = r(x[i * cols + j] - mean[j]);
      sq[i * cols + j] = r(d * d);
    }
  }
  const variance = sumAxis0(sq, rows, cols, scalar, r).map((s) => r(s / rows));
  return { mean, var: variance };
}

export class RunningMeanStd {
  readonly size: number;
  readonly dtype: FloatDType;
  /** Shape () rather than (size,): a 1-D batch of scalars (the return statistics). */
  readonly scalar: boolean;
  private meanValues: Float64Array;
  private varValues: Float64Array;
  private n: number;

  /**
   * Statistics of vectors of `size` values kept in `dtype` (`scalar`: of single numbers, shape ()).
   * `epsilon` is the initial count.
   */
  constructor(size: number, options: { dtype?: FloatDType; scalar?: boolean; epsilon?: number } = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`RunningMeanStd: size must be a positive integer, got ${size}`);
    this.scalar = options.scalar ?? false;
    if (this.scalar && size !== 1) throw new RangeError('RunningMeanStd: scalar statistics have size 1');
    this.size = size;
    this.dtype = options.dtype ?? 'float64';
    this.meanValues = new Float64Array(size);
    this.varValues = new Float64Array(size).fill(1);
    this.n = options.epsilon ?? 1e-4;
  }

  get mean(): Float64Array {
    return this.meanValues;
  }

  get var(): Float64Array {
    return this.varValues;
  }

  get count(): number {
    return this.n;
  }

  /** Merges a batch of `rows` samples, row-major in `x`; `batchDType` is the dtype of its values. */
  update(x: ArrayLike<number>, rows: number, batchDType: FloatDType = this.dtype): void {
    if (rows < 1) return;
    if (x.length < rows * this.size) throw new RangeError(`RunningMeanStd: batch of ${rows} needs ${rows * this.size} values, got ${x.length}`);
    const m = batchMoments(x, rows, this.size, batchDType, this.scalar);
    this.updateFromMoments(m.mean, m.var, rows, batchDType);
  }

  /** Merges a batch given by its moments (`batchDType`: the dtype they were computed in). */
  updateFromMoments(batchMean: ArrayLike<number>, batchVar: ArrayLike<number>, batchCount: number, batchDType: FloatDType = this.dtype): void {
    const r = rounding(this.dtype);
    const rb = rounding(batchDType);
    const count = this.n;
    const total = count + batchCount;
    // numpy casts the Python scalars count and total to the statistics' dtype
    const countD = r(count);
    const totalD = r(total);
    for (let j = 0; j < this.size; j++) {
      const delta = r(batchMean[j] - this.meanValues[j]);
      const newMean = r(this.meanValues[j] + r(r(delta * batchCount) / totalD));
      const mA = r(this.varValues[j] * countD);
      const mB = rb(batchVar[j] * batchCount);
      const m2 = r(r(mA + mB) + r(r(r(r(delta * delta) * countD) * batchCount) / totalD));
      this.meanValues[j] = newMean;
      this.varValues[j] = r(m2 / totalD);
    }
    this.n = total;
  }

  getState(): RunningMeanStdState {
    return { mean: Array.from(this.meanValues), var: Array.from(this.varValues), count: this.n };
  }

  /** Restores statistics saved by `getState` (same size; throws a RangeError naming the mismatch). */
  setState(state: RunningMeanStdState): void {
    if (state.mean.length !== this.size || state.var.length !== this.size) {
      throw new RangeError(`RunningMeanStd: statistics of size ${state.mean.length}/${state.var.length}, expected ${this.size}`);
    }
    const finite = (xs: readonly number[]) => xs.every((v) => Number.isFinite(v));
    if (!finite(state.mean) || !finite(state.var) || state.var.some((v) => v < 0) || !(Number.isFinite(state.count) && state.count > 0)) {
      throw new RangeError('RunningMeanStd: statistics must be finite, with var >= 0 and count > 0');
    }
    const r = rounding(this.dtype);
    this.meanValues = Float64Array.from(state.mean, r);
    this.varValues = Float64Array.from(state.var, r);
    this.n = state.count;
  }
}
