/**
 * Percentile-bootstrap confidence intervals and a trial's return statistics with them.
 */
import { AnalysisError } from '../errors.js';
import { seededRng } from './rng.js';
import { checkSample, iqm, mean, median, quantileSorted, sortedCopy } from './summary.js';

/** A statistic of a sample, e.g. {@link mean}, {@link median} or {@link iqm}. */
export type Statistic = (values: readonly number[]) => number;

export interface BootstrapOptions {
  /** Number of resamples B (integer >= 1). Default 2000. */
  readonly reps?: number;
  /** Confidence level c, 0 < c < 1. Default 0.95. */
  readonly confidence?: number;
  /** Seed of the resampling generator (an integer); the same inputs and seed give the same interval. */
  readonly seed: number;
}

/** A two-sided confidence interval [low, high] at level `confidence`. */
export interface ConfidenceInterval {
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
}

/** A statistic's value on the sample and its bootstrap confidence interval. */
export interface Estimate {
  readonly value: number;
  readonly ci: ConfidenceInterval;
}

function checkOptions(opts: BootstrapOptions, fn: string): { reps: number; confidence: number } {
  const reps = opts.reps ?? 2000;
  const confidence = opts.confidence ?? 0.95;
  if (!Number.isInteger(reps) || reps < 1) throw new AnalysisError(`${fn}: reps = ${reps} (allowed: an integer >= 1)`);
  if (!(confidence > 0 && confidence < 1)) throw new AnalysisError(`${fn}: confidence = ${confidence} (allowed: 0 < confidence < 1)`);
  if (!Number.isSafeInteger(opts.seed)) throw new AnalysisError(`${fn}: seed = ${opts.seed} (allowed: an integer)`);
  return { reps, confidence };
}

/**
 * Percentile bootstrap interval of `statistic` on `values` (x_0..x_{n-1}):
 * for b = 1..B draw n indices uniformly with replacement and compute t_b = statistic(resample);
 * sort t_1..t_B; low = Q((1-c)/2), high = Q((1+c)/2) with Q the
 * linearly interpolated quantile of {@link quantileSorted} (numpy's default percentile).
 * The indices are numpy's: `default_rng(seed).integers(0, n, size=(B, n))`, row b for resample b.
 */
export function bootstrapCi(values: readonly number[], statistic: Statistic, opts: BootstrapOptions): ConfidenceInterval {
  return bootstrapCis([values], statistic, opts)[0];
}

/**
 * {@link bootstrapCi} of each sample, with the same options: equal to calling it on each, but the
 * resample indices (which depend only on the seed, B and the sample's length) are drawn once per
 * length. A trial's chart band takes one interval per logged row.
 */
export function bootstrapCis(samples: readonly (readonly number[])[], statistic: Statistic, opts: BootstrapOptions): ConfidenceInterval[] {
  const { reps, confidence } = checkOptions(opts, 'bootstrapCi');
  const indicesByLength = new Map<number, Uint32Array>();
  const resample: number[] = [];
  const stats = new Array<number>(reps);
  return samples.map((values) => {
    checkSample(values, 'bootstrapCi');
    const n = values.length;
    let indices = indicesByLength.get(n);
    if (indices === undefined) {
      indices = resampleIndices(n, reps, opts.seed);
      indicesByLength.set(n, indices);
    }
    resample.length = n;
    for (let b = 0; b < reps; b++) {
      for (let i = 0; i < n; i++) resample[i] = values[indices[b * n + i]];
      stats[b] = statistic(resample);
    }
    const sorted = sortedCopy(stats);
    return {
      low: quantileSorted(sorted, (1 - confidence) / 2),
      high: quantileSorted(sorted, (1 + confidence) / 2),
      confidence,
    };
  });
}

/** Row b of the B x n matrix: the indices of resample b, drawn row by row from `seededRng(seed)`. */
function resampleIndices(n: number, reps: number, seed: number): Uint32Array {
  const rng = seededRng(seed);
  const indices = new Uint32Array(reps * n);
  for (let k = 0; k < indices.length; k++) indices[k] = rng.integers(n);
  return indices;
}

/** Mean, median and IQM of a trial's per-session returns, each with its bootstrap interval. */
export interface TrialReturnStats {
  /** Number of sessions n. */
  readonly n: number;
  readonly mean: Estimate;
  readonly median: Estimate;
  readonly iqm: Estimate;
}

/**
 * {@link mean}, {@link median} and {@link iqm} of one final return per session (gymlab uses each
 * session's final `return_ma`), each with a {@link bootstrapCi} interval (same options for all three;
 * `seed` defaults to 0, `reps` to 2000, `confidence` to 0.95).
 */
export function trialReturnStats(finalReturnsPerSession: readonly number[], opts: Partial<BootstrapOptions> = {}): TrialReturnStats {
  checkSample(finalReturnsPerSession, 'trialReturnStats');
  const full: BootstrapOptions = { ...opts, seed: opts.seed ?? 0 };
  const estimate = (stat: Statistic): Estimate => ({
    value: stat(finalReturnsPerSession),
    ci: bootstrapCi(finalReturnsPerSession, stat, full),
  });
  return { n: finalReturnsPerSession.length, mean: estimate(mean), median: estimate(median), iqm: estimate(iqm) };
}
