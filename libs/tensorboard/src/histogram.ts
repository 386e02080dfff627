/**
 * Histograms as TensorFlow's `tensorflow/core/lib/histogram/histogram.cc` builds them.
 *
 * Default bucket limits: v = 1e-12, multiplied by 1.1 (in double precision) while v < 1e20, gives
 * the positive limits p_1 < ... < p_774, then DBL_MAX; the full list is
 * `[-DBL_MAX, -p_774, ..., -p_1, 0, p_1, ..., p_774, DBL_MAX]` (1551 limits).
 * A value x goes to bucket b = the first index with limit[b] > x (C++ `upper_bound`), so bucket b
 * covers `[limit[b-1], limit[b])`; x >= the last limit is put in the last bucket.
 *
 * Encoding (gymlab's scheme, documented because TensorFlow's `EncodeToProto` also keeps the empty
 * runs at both ends): only the buckets from the first non-empty one to the last non-empty one are
 * written; inside that range each run of consecutive empty buckets is collapsed into one bucket
 * with count 0 whose limit is the run's last limit, exactly as `EncodeToProto` collapses them.
 * TensorBoard draws bucket i from `bucket_limit[i-1]` (or `min` for i = 0) to `bucket_limit[i]`
 * (or `max` for the last one), so trimming the empty ends gives no backwards buckets.
 * An empty input gives min = max = num = sum = sumSquares = 0 and the single bucket
 * `(DBL_MAX, 0)` that `EncodeToProto` writes for an empty histogram.
 */
import { EventWriterError } from './errors.js';

/** DBL_MAX of C: the largest finite double. */
export const DBL_MAX = Number.MAX_VALUE;

/** A histogram in the fields of `HistogramProto`. `bucket[i]` counts the values up to `bucketLimit[i]`. */
export interface HistogramInput {
  readonly min: number;
  readonly max: number;
  /** Number of values: the sum of `bucket`. */
  readonly num: number;
  /** Σ x. */
  readonly sum: number;
  /** Σ x². */
  readonly sumSquares: number;
  /** Right edges, strictly increasing. */
  readonly bucketLimit: ArrayLike<number>;
  /** Counts, same length as `bucketLimit`. */
  readonly bucket: ArrayLike<number>;
}

/** The histogram `computeHistogram` returns (arrays are fresh and owned by the caller). */
export interface Histogram extends HistogramInput {
  readonly bucketLimit: number[];
  readonly bucket: number[];
}

function buildDefaultLimits(): Float64Array {
  const pos: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
  pos.push(DBL_MAX);
  const out = new Float64Array(2 * pos.length + 1);
  const n = pos.length;
  for (let i = 0; i < n; i++) {
    out[n - 1 - i] = -pos[i];
    out[n + 1 + i] = pos[i];
  }
  out[n] = 0;
  return out;
}

/** Shared, never written after module load. */
const DEFAULT_LIMITS = buildDefaultLimits();

/** Number of default bucket limits (1551). */
export const DEFAULT_BUCKET_COUNT = DEFAULT_LIMITS.length;

/** A copy of TensorFlow's default bucket limits (1551 values, see the module comment). */
export function defaultBucketLimits(): Float64Array {
  return DEFAULT_LIMITS.slice();
}

/** What to do with NaN and ±Infinity in `computeHistogram`. */
export type NonFinitePolicy = 'error' | 'drop';

export interface ComputeHistogramOptions {
  /** Strictly increasing bucket limits; default TensorFlow's (see `defaultBucketLimits`). */
  readonly bucketLimits?: ArrayLike<number>;
  /** 'error' (default) throws on NaN or ±Infinity (TensorFlow refuses them too); 'drop' skips them. */
  readonly nonFinite?: NonFinitePolicy;
  /** Used to name the histogram in error messages. */
  readonly tag?: string;
  /** Count buffer to reuse (length >= number of limits); avoids one allocation per call. */
  readonly scratch?: Float64Array;
}

function invalid(tag: string | undefined, what: string): EventWriterError {
  return new EventWriterError('invalid-argument', `histogram '${tag ?? ''}': ${what}`);
}

/** Checks that `limits` are finite and strictly increasing. */
function checkBucketLimits(limits: ArrayLike<number>, tag?: string): void {
  if (limits.length === 0) throw invalid(tag, 'bucket limits are empty; give at least one');
  for (let i = 0; i < limits.length; i++) {
    if (!Number.isFinite(limits[i])) throw invalid(tag, `bucket limit ${i} is ${limits[i]}; limits must be finite`);
    if (i > 0 && !(limits[i] > limits[i - 1])) throw invalid(tag, `bucket limit ${i} (${limits[i]}) is not above limit ${i - 1}; limits must increase strictly`);
  }
}

/** First index b with limits[b] > x, clamped to the last bucket. */
function bucketIndex(limits: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = limits.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (limits[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The histogram of no values, as `EncodeToProto` writes it (statistics 0, one bucket `(DBL_MAX, 0)`). */
function emptyHistogram(): Histogram {
  return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [DBL_MAX], bucket: [0] };
}

/**
 * Compacts `counts` (one per limit; extra entries are ignored) as the module comment describes:
 * the range of non-empty buckets, with each inner run of empty buckets collapsed into one.
 */
export function compactBuckets(limits: ArrayLike<number>, counts: ArrayLike<number>): { bucketLimit: number[]; bucket: number[] } {
  const n = limits.length;
  let first = 0;
  while (first < n && !(counts[first] > 0)) first++;
  if (first === n) return { bucketLimit: [DBL_MAX], bucket: [0] };
  let last = n - 1;
  while (!(counts[last] > 0)) last--;
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  for (let i = first; i <= last; ) {
    if (counts[i] > 0) {
      bucketLimit.push(limits[i]);
      bucket.push(counts[i]);
      i++;
    } else {
      while (i + 1 <= last && !(counts[i + 1] > 0)) i++;
      bucketLimit.push(limits[i]);
      bucket.push(0);
      i++;
    }
  }
  return { bucketLimit, bucket };
}

/**
 * Histogram of `values`: min, max, num, sum = Σx, sumSquares = Σx² (in double precision, in
 * input order) and the compacted buckets.
 */
export function computeHistogram(values: ArrayLike<number>, opts: ComputeHistogramOptions = {}): Histogram {
  const limits = opts.bucketLimits ?? DEFAULT_LIMITS;
  if (opts.bucketLimits) checkBucketLimits(limits, opts.tag);
  const n = limits.length;
  const counts = opts.scratch && opts.scratch.length >= n ? opts.scratch : new Float64Array(n);
  counts.fill(0, 0, n);
  const drop = opts.nonFinite === 'drop';
  let min = Infinity;
  let max = -Infinity;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) {
      if (drop) continue;
      throw invalid(opts.tag, `value ${i} is ${x}; only finite numbers are allowed (or pass nonFinite: 'drop')`);
    }
    counts[bucketIndex(limits, x)] += 1;
    if (x < min) min = x;
    if (x > max) max = x;
    num++;
    sum += x;
    sumSquares += x * x;
  }
  if (num === 0) return emptyHistogram();
  return { min, max, num, sum, sumSquares, ...compactBuckets(limits, counts) };
}

/**
 * Histogram of a discrete variable from its counts: `counts[a]` is how often value a (0, 1, ...)
 * occurred, e.g. actions. Bucket a covers (a - 0.5, a + 0.5], so TensorBoard draws a unit-wide bar
 * centred on each value; `min` and `max` are the outer edges (first non-empty a) - 0.5 and
 * (last non-empty a) + 0.5 rather than the values themselves, for the same reason.
 * num = Σ c_a, sum = Σ a·c_a, sumSquares = Σ a²·c_a. Counts must be finite and >= 0.
 */
export function discreteHistogram(counts: ArrayLike<number>, tag?: string): Histogram {
  let first = -1;
  let last = -1;
  for (let a = 0; a < counts.length; a++) {
    const c = counts[a];
    if (!(Number.isFinite(c) && c >= 0)) throw invalid(tag, `count ${a} is ${c}; counts must be finite and >= 0`);
    if (c > 0) {
      if (first < 0) first = a;
      last = a;
    }
  }
  if (first < 0) return emptyHistogram();
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let a = first; a <= last; a++) {
    const c = counts[a];
    bucketLimit.push(a + 0.5);
    bucket.push(c);
    num += c;
    sum += a * c;
    sumSquares += a * a * c;
  }
  return { min: first - 0.5, max: last + 0.5, num, sum, sumSquares, bucketLimit, bucket };
}

/**
 * Checks a caller-built histogram: equal, non-zero lengths; finite, strictly increasing limits;
 * finite counts >= 0 that sum to `num` (to 1e-9 relative); finite statistics; min <= max when num > 0.
 */
export function checkHistogram(h: HistogramInput, tag?: string): void {
  if (h.bucket.length !== h.bucketLimit.length) {
    throw invalid(tag, `bucket has ${h.bucket.length} counts but bucketLimit has ${h.bucketLimit.length} limits; they must match`);
  }
  checkBucketLimits(h.bucketLimit, tag);
  let total = 0;
  for (let i = 0; i < h.bucket.length; i++) {
    const c = h.bucket[i];
    if (!(Number.isFinite(c) && c >= 0)) throw invalid(tag, `bucket ${i} is ${c}; counts must be finite and >= 0`);
    total += c;
  }
  for (const key of ['min', 'max', 'num', 'sum', 'sumSquares'] as const) {
    if (!Number.isFinite(h[key])) throw invalid(tag, `${key} is ${h[key]}; it must be finite`);
  }
  if (Math.abs(total - h.num) > 1e-9 * Math.max(1, h.num)) {
    throw invalid(tag, `num is ${h.num} but the buckets sum to ${total}; they must agree`);
  }
  if (h.num > 0 && h.min > h.max) throw invalid(tag, `min ${h.min} is above max ${h.max}`);
}
