/**
 * Running mean and variance over batches (Chan et al.'s parallel update, as SB3's RunningMeanStd),
 * for `normalize_v_targets`. Float64 in JS.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
/** Mean of x[0..n) and the sum of squared deviations from it (float64, n >= 1). */
export function meanAndSquaredDeviation(x: ArrayLike<number>, n: number): { mean: number; ssd: number } {
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - m) ** 2;
  return { mean: m, ssd: v };
}

export class RunningMeanStd {
  mean = 0;
  var = 1;
  count = 1e-4;

  update(x: ArrayLike<number>): void {
    const n = x.length;
    if (n === 0) return;
    const { mean: m, ssd } = meanAndSquaredDeviation(x, n);
    const v = ssd / n;
    const delta = m - this.mean;
    const tot = this.count + n;
    this.mean += (delta * n) / tot;
    this.var = (this.var * this.count + v * n + (delta * delta * this.count * n) / tot) / tot;
    this.count = tot;
  }

  /** sqrt(var + 1e-8). */
  get std(): number {
    return Math.sqrt(this.var + 1e-8);
  }
}

/** The q-quantile (0..1) of x[0..n) with linear interpolation (numpy's and torch.quantile's default); sorts `scratch`. */
export function quantile(x: ArrayLike<number>, n: number, q: number, scratch: Float64Array): number {
  for (let i = 0; i < n; i++) scratch[i] = x[i];
  const s = scratch.subarray(0, n).sort();
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return s[lo] + (pos - lo) * (s[hi] - s[lo]);
}

/**
 * SLM Lab 5.3's `normalize_advantages: percentile` (DreamerV3): exponential moving averages
 * (decay 0.99, from 0) of the 5th and 95th percentiles of each minibatch's advantages; advantages
 * are divided by max(1, p95 - p5), not centred.
 */
export class PercentileNormalizer {
  perc5 = 0;
  perc95 = 0;
  private scratch = new Float64Array(0);

  constructor(readonly decay = 0.99) {}

  /** Updates the averages with x[0..n), then scales x[0..n) in place. */
  updateAndNormalize(x: Float32Array, n: number): void {
    if (n < 1) return;
    if (this.scratch.length < n) this.scratch = new Float64Array(n);
    const p5 = quantile(x, n, 0.05, this.scratch);
    const p95 = quantile(x, n, 0.95, this.scratch);
    this.perc5 = this.decay * this.perc5 + (1 - this.decay) * p5;
    this.perc95 = this.decay * this.perc95 + (1 - this.decay) * p95;
    const scale = Math.max(1, this.perc95 - this.perc5);
    for (let i = 0; i < n; i++) x[i] /= scale;
  }
}

/** In place: x[0..n) <- (x - mean) / (std + 1e-8), std unbiased as torch's; n < 2: unchanged. */
export function standardize(x: Float32Array, n: number): void {
  if (n < 2) return;
  const { mean: m, ssd } = meanAndSquaredDeviation(x, n);
  const sd = Math.sqrt(ssd / (n - 1));
  for (let i = 0; i < n; i++) x[i] = (x[i] - m) / (sd + 1e-8);
}

export type AdvantageNormalization = 'none' | 'standardize' | 'percentile';

/** `normalize_advantages` as a mode: true / 'standardize', 'percentile', false / null -> 'none'. */
export function advantageNormalization(value: unknown): AdvantageNormalization {
  if (value === true || value === 'standardize') return 'standardize';
  if (value === 'percentile') return 'percentile';
  return 'none';
}

/**
 * SLM Lab's ReturnNormalizer (ActorCritic `normalize_v_targets`): running mean and population
 * variance of the value targets (Chan's merge, count from 0, var 1 until two samples); values and
 * targets are divided by max(1, sqrt(var + 1e-8)), not centred, and clipped to +/-10.
 */
export class ReturnNormalizer {
  mean = 0;
  var = 1;
  count = 0;
  m2 = 0;

  update(x: ArrayLike<number>): void {
    const n = x.length;
    if (n === 0) return;
    const { mean: bm, ssd } = meanAndSquaredDeviation(x, n);
    const bvar = n > 1 ? ssd / n : 0;
    const delta = bm - this.mean;
    const total = this.count + n;
    this.mean += (delta * n) / Math.max(total, 1);
    this.m2 += bvar * n + (delta * delta * this.count * n) / Math.max(total, 1);
    this.count = total;
    if (this.count > 1) this.var = this.m2 / this.count;
  }

  /** max(1, sqrt(var + 1e-8)). */
  get scale(): number {
    return Math.max(1, Math.sqrt(this.var + 1e-8));
  }

  normalizeInPlace(x: Float32Array, n: number): void {
    const s = this.scale;
    for (let i = 0; i < n; i++) x[i] = Math.min(10, Math.max(-10, x[i] / s));
  }

  /** The same on a tensor (inside the gradient). */
  normalizeTensor<T extends Tensor>(tf: Tf, x: T): T {
    return tf.clipByValue(tf.div(x, this.scale), -10, 10) as T;
  }
}
