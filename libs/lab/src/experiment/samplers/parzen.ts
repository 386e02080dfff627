/**
 * Parzen estimators of TPE, as Optuna builds them by default (univariate, prior weight 1, magic
 * clip on, endpoints not special): a weighted mixture of truncated-normal kernels for numbers and of
 * smoothed one-hot kernels for categories, each with a prior kernel appended.
 */
import type { SearchRng } from '../rng.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * erfc(x), Numerical Recipes' Chebyshev fit `erfcc` (fractional error < 1.2e-7 everywhere):
 * t = 1 / (1 + |x|/2), erfc(|x|) = t exp(-x^2 + P(t)), erfc(-x) = 2 - erfc(x).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const p =
    -z * z -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(p);
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF: Phi(x) = erfc(-x / sqrt 2) / 2. */
export const normCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);

/**
 * Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9), for
 * p in (0, 1); the ends map to -/+Infinity.
 */
export function normPpf(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) return -normPpf(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * log(Phi(z2) - Phi(z1)) for z1 < z2, computed in the tail where it is accurate (both above 0:
 * log(Phi(-z1) - Phi(-z2))). -Infinity when the difference underflows.
 */
export function logNormMass(z1: number, z2: number): number {
  const diff = z1 > 0 ? normCdf(-z1) - normCdf(-z2) : normCdf(z2) - normCdf(z1);
  return diff > 0 ? Math.log(diff) : -Infinity;
}

/** log(sum_i exp(xs_i)), stable; -Infinity for an empty or all -Infinity list. */
export function logSumExp(xs: readonly number[]): number {
  const m = Math.max(...xs);
  if (m === -Infinity || xs.length === 0) return -Infinity;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** Where numeric kernels live: [low, high], or with a `step` the lattice low + j step in it. */
export interface NumericRange {
  readonly low: number;
  readonly high: number;
  readonly step: number | null;
}

/**
 * Mixture of normal kernels N(mu_k, sigma_k) truncated to [low, high] with weights w_k. With a
 * `step` the values are the lattice low + j step and each kernel puts on x the mass of
 * [x - step/2, x + step/2] of the normal truncated to [low - step/2, high + step/2].
 */
export interface NumericMixture extends NumericRange {
  readonly kind: 'numeric';
  /** Kernel weights, normalized (the prior kernel's last). */
  readonly weights: readonly number[];
  /** Kernel centres and bandwidths. */
  readonly mus: readonly number[];
  readonly sigmas: readonly number[];
}

/** Mixture of categorical kernels: weights w_k and per-kernel probabilities p_k(c). */
export interface CategoricalMixture {
  readonly kind: 'categorical';
  readonly weights: readonly number[];
  readonly probs: readonly (readonly number[])[];
}

export type Mixture = NumericMixture | CategoricalMixture;

/** w_k normalized to sum 1, after appending the prior's weight. */
function mixtureWeights(obsWeights: readonly number[], priorWeight: number): number[] {
  const all = [...obsWeights, priorWeight];
  const total = all.reduce((a, b) => a + b, 0);
  return all.map((w) => w / total);
}

/**
 * Optuna's univariate numeric estimator. With s = step or 0, prior mu_p = (low + high)/2:
 * sort the observations together with mu_p, pad with low - s/2 and high + s/2; each point's
 * sigma is the larger gap to its two neighbours, except that the first and last sorted points
 * take the gap to their inner neighbour (endpoints not special, when there are >= 2 points);
 * sigmas are clipped to [(high - low + s) / min(100, 1 + n_kernels), high - low + s] with
 * n_kernels = n_obs + 1; the prior kernel is N(mu_p, high - low + s).
 */
export function numericMixture(obs: readonly number[], obsWeights: readonly number[], range: NumericRange, priorWeight = 1): NumericMixture {
  const { low, high, step } = range;
  const s = step ?? 0;
  const priorMu = 0.5 * (low + high);
  const withPrior = [...obs, priorMu];
  const order = withPrior.map((_, i) => i).sort((i, j) => withPrior[i] - withPrior[j] || i - j);
  const padded = [low - s / 2, ...order.map((i) => withPrior[i]), high + s / 2];
  const sortedSigmas = order.map((_, r) => Math.max(padded[r + 1] - padded[r], padded[r + 2] - padded[r + 1]));
  if (padded.length >= 4) {
    sortedSigmas[0] = padded[2] - padded[1];
    sortedSigmas[sortedSigmas.length - 1] = padded[padded.length - 2] - padded[padded.length - 3];
  }
  const sigmaOf = new Array<number>(withPrior.length);
  order.forEach((i, r) => (sigmaOf[i] = sortedSigmas[r]));
  const maxSigma = high - low + s;
  const minSigma = maxSigma / Math.min(100, 1 + (obs.length + 1));
  const sigmas = obs.map((_, i) => Math.min(maxSigma, Math.max(minSigma, sigmaOf[i])));
  return {
    kind: 'numeric',
    weights: mixtureWeights(obsWeights, priorWeight),
    mus: [...obs, priorMu],
    sigmas: [...sigmas, maxSigma],
    low,
    high,
    step,
  };
}

/**
 * The categorical estimator: observation kernel k puts prior_weight / n_choices on every choice
 * plus 1 on its own choice (then normalized); the prior kernel is uniform.
 */
export function categoricalMixture(obs: readonly number[], obsWeights: readonly number[], nChoices: number, priorWeight = 1): CategoricalMixture {
  const probs = obs.map((c) => {
    const row = new Array<number>(nChoices).fill(priorWeight / nChoices);
    row[c] += 1;
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((p) => p / total);
  });
  probs.push(new Array<number>(nChoices).fill(1 / nChoices));
  return { kind: 'categorical', weights: mixtureWeights(obsWeights, priorWeight), probs };
}

function pickComponent(weights: readonly number[], rng: SearchRng): number {
  const u = rng.random();
  let acc = 0;
  for (let k = 0; k < weights.length; k++) {
    acc += weights[k];
    if (u < acc) return k;
  }
  return weights.length - 1;
}

/** Truncated normal draw by inversion: x = mu + sigma Phi^-1(U(Phi(a'), Phi(b'))), clamped to [lo, hi]. */
function truncNormal(mu: number, sigma: number, lo: number, hi: number, rng: SearchRng): number {
  const pa = normCdf((lo - mu) / sigma);
  const pb = normCdf((hi - mu) / sigma);
  const x = mu + sigma * normPpf(rng.uniform(pa, pb));
  return Math.min(hi, Math.max(lo, Number.isFinite(x) ? x : mu));
}

/** One draw from the mixture: a component by weight, then a value from it. */
export function sampleMixture(m: Mixture, rng: SearchRng): number {
  const k = pickComponent(m.weights, rng);
  if (m.kind === 'categorical') return pickComponent(m.probs[k], rng);
  if (m.step === null) return truncNormal(m.mus[k], m.sigmas[k], m.low, m.high, rng);
  const x = truncNormal(m.mus[k], m.sigmas[k], m.low - m.step / 2, m.high + m.step / 2, rng);
  return Math.min(m.high, Math.max(m.low, m.low + Math.round((x - m.low) / m.step) * m.step));
}

/** log of the mixture's density (numeric, continuous), mass (numeric with step) or probability (categorical) at x. */
export function mixtureLogPdf(m: Mixture, x: number): number {
  if (m.kind === 'categorical') return logSumExp(m.weights.map((w, k) => Math.log(w) + Math.log(m.probs[k][x])));
  const terms = m.weights.map((w, k) => {
    const mu = m.mus[k];
    const sigma = m.sigmas[k];
    if (m.step === null) {
      if (x < m.low || x > m.high) return -Infinity;
      const z = (x - mu) / sigma;
      return Math.log(w) - 0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - logNormMass((m.low - mu) / sigma, (m.high - mu) / sigma);
    }
    const h = m.step / 2;
    const mass = logNormMass((x - h - mu) / sigma, (x + h - mu) / sigma);
    return Math.log(w) + mass - logNormMass((m.low - h - mu) / sigma, (m.high + h - mu) / sigma);
  });
  return logSumExp(terms);
}
