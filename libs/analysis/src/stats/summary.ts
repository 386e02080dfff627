/**
 * Summary statistics of a sample x_0..x_{n-1} (finite numbers, n >= 1). Pure functions; the input
 * is never modified. Empty or non-finite input throws {@link AnalysisError}.
 *
 * Written here rather than taken from d3-array: d3's `mean` / `median` skip NaN and null silently
 * (these refuse them), its `median` interpolates y_a + (y_b - y_a) / 2 and its `deviation` uses
 * Welford's update, which differ from numpy's (y_a + y_b) / 2 and two-pass std in the last bits
 * of the saved statistics; and d3 has no interquartile mean.
 */
import { AnalysisError } from '../errors.js';

/** Throws unless `values` is a non-empty array of finite numbers; `fn` names the caller. */
export function checkSample(values: readonly number[], fn: string): void {
  if (!Array.isArray(values) || values.length === 0) {
    throw new AnalysisError(`${fn}: empty sample (expected at least one finite number)`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new AnalysisError(`${fn}: value [${i}] is ${String(v)} (allowed: finite numbers)`);
    }
  }
}

/** Ascending copy of the sample (a typed-array sort: numeric, and several times faster than a comparator's). */
export function sortedCopy(values: readonly number[]): number[] {
  return Array.from(Float64Array.from(values).sort());
}

function meanOfRange(sorted: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += sorted[i];
  return s / (to - from);
}

/** Arithmetic mean: (1/n) sum_i x_i. */
export function mean(values: readonly number[]): number {
  checkSample(values, 'mean');
  return meanOfRange(values, 0, values.length);
}

/**
 * Median: with y the sample sorted ascending, y_{(n-1)/2} for odd n and
 * (y_{n/2-1} + y_{n/2}) / 2 for even n.
 */
export function median(values: readonly number[]): number {
  checkSample(values, 'median');
  const y = sortedCopy(values);
  const n = y.length;
  return n % 2 === 1 ? y[(n - 1) / 2] : (y[n / 2 - 1] + y[n / 2]) / 2;
}

/**
 * Interquartile mean, as rliable's IQM and `scipy.stats.trim_mean(x, 0.25)`: with y the sample
 * sorted ascending and k = floor(0.25 n), the mean of y_k..y_{n-k-1} (drop k values from each
 * end). For n < 4, k = 0 and the IQM is the mean.
 */
export function iqm(values: readonly number[]): number {
  checkSample(values, 'iqm');
  const y = sortedCopy(values);
  const k = Math.floor(0.25 * y.length);
  return meanOfRange(y, k, y.length - k);
}

/**
 * Quantile q in [0, 1] of an ascending-sorted sample by linear interpolation (numpy's default
 * `method='linear'`): h = (n-1) q, j = floor(h), Q = y_j + (h - j)(y_{j+1} - y_j) (Q = y_{n-1}
 * when j = n-1).
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new AnalysisError(`quantileSorted: q = ${q} (allowed: 0 <= q <= 1)`);
  checkSample(sorted, 'quantileSorted');
  const h = (sorted.length - 1) * q;
  const j = Math.floor(h);
  if (j >= sorted.length - 1) return sorted[sorted.length - 1];
  return sorted[j] + (h - j) * (sorted[j + 1] - sorted[j]);
}

/** Sample standard deviation (ddof 1): sqrt(sum_i (x_i - mean)^2 / (n-1)); 0 when n = 1. */
export function sampleStd(values: readonly number[]): number {
  checkSample(values, 'sampleStd');
  const n = values.length;
  if (n === 1) return 0;
  const m = meanOfRange(values, 0, n);
  let ss = 0;
  for (const x of values) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (n - 1));
}

/** The finite numbers of `xs`, in order (null, undefined, NaN and ±Infinity left out): cells of a table column. */
export const finiteValues = (xs: readonly (number | null | undefined)[]): number[] => xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));

/** (1/n) sum_i x_i summed left to right, or null for an empty list (a table cell, unlike {@link mean} which throws). */
export const meanOrNull = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
