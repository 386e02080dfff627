/**
 * Action distributions. Log-probs and entropies are tfjs ops for the loss (inside the gradient);
 * sampling and modes run in JS on values read back once per `act`, with the agent's seeded `Rng`.
 *
 * Categorical log-probs use one-hot masks, not `gather`: the wasm backend has no gradient kernel
 * for gather.
 */
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { Rng } from '@gymlab/random';

const LOG_2PI = Math.log(2 * Math.PI);

/** log pi(a|s) of a categorical with `logits` [B, n] at one-hot actions `oneHot` [B, n] -> [B]. */
export function categoricalLogProb(tf: Tf, logits: Tensor2D, oneHot: Tensor2D): Tensor1D {
  return tf.sum(tf.mul(tf.logSoftmax(logits), oneHot), 1) as Tensor1D;
}

/** H = -sum_a p(a) log p(a) of a categorical with `logits` [B, n] -> [B]. */
export function categoricalEntropy(tf: Tf, logits: Tensor2D): Tensor1D {
  const logp = tf.logSoftmax(logits);
  return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)) as Tensor1D;
}

/**
 * log N(a; mean, exp(logStd)^2) summed over action dims: mean [B, d], logStd [d] (one learnable
 * vector) or [B, d] (a state-dependent head), actions [B, d] -> [B].
 *   sum_i -0.5 ((a_i - mu_i) / sigma_i)^2 - log sigma_i - 0.5 log(2 pi)
 */
export function gaussianLogProb(tf: Tf, mean: Tensor2D, logStd: Tensor1D | Tensor2D, actions: Tensor2D): Tensor1D {
  const z = tf.mul(tf.sub(actions, mean), tf.exp(tf.neg(logStd)));
  const perDim = tf.sub(tf.mul(tf.square(z), -0.5), tf.add(logStd, 0.5 * LOG_2PI));
  return tf.sum(perDim, 1) as Tensor1D;
}

/** Entropy of a diagonal Gaussian: sum_i (0.5 + 0.5 log(2 pi) + log sigma_i), the same for every row -> scalar [] as [1]. */
export function gaussianEntropy(tf: Tf, logStd: Tensor1D): Tensor1D {
  return tf.reshape(tf.sum(tf.add(logStd, 0.5 + 0.5 * LOG_2PI)), [1]) as Tensor1D;
}

/** Entropy of diagonal Gaussians with a state-dependent logStd [B, d]: per row sum_i (0.5 + 0.5 log(2 pi) + log sigma_i) -> [B]. */
export function gaussianEntropyRows(tf: Tf, logStd: Tensor2D): Tensor1D {
  return tf.sum(tf.add(logStd, 0.5 + 0.5 * LOG_2PI), 1) as Tensor1D;
}

/** SLM Lab's bounds on a state-dependent log-scale head: clamp(log sigma, -20, 2) before exp. */
export const LOG_SCALE_MIN = -20;
export const LOG_SCALE_MAX = 2;

/** One-hot rows [B * n] for integer actions in [0, n), written into `out` (allocated if absent). */
export function oneHot(actions: ArrayLike<number>, n: number, out?: Float32Array): Float32Array {
  const o = out ?? new Float32Array(actions.length * n);
  o.fill(0);
  for (let i = 0; i < actions.length; i++) o[i * n + actions[i]] = 1;
  return o;
}

/**
 * Per row, argmax_a (logit_a + g_a) with Gumbel noise g_a = -log(E_a), E_a = -log(1 - U_a),
 * U_a ~ U[0, 1) drawn from `rng` in row-major order (first index on ties): the Gumbel-max trick,
 * a sample of the Categorical of the logits (SLM Lab's GumbelSoftmax.sample, temperature 1).
 */
export function sampleGumbelMax(logits: Float32Array, n: number, rng: Rng, out: Int32Array): Int32Array {
  for (let r = 0; r < out.length; r++) {
    const off = r * n;
    let best = 0;
    let max = -Infinity;
    for (let a = 0; a < n; a++) {
      const v = logits[off + a] - Math.log(-Math.log1p(-rng.random()));
      if (v > max) {
        max = v;
        best = a;
      }
    }
    out[r] = best;
  }
  return out;
}

/**
 * Samples one action per row from categorical `logits` [rows * n] (float32, read from the net).
 * `mode` picks the argmax instead (first on ties). Writes into `out` [rows].
 */
export function sampleCategorical(logits: Float32Array, n: number, rng: Rng, mode: boolean, out: Int32Array): Int32Array {
  const rows = out.length;
  for (let r = 0; r < rows; r++) {
    const off = r * n;
    let best = 0;
    let max = logits[off];
    for (let a = 1; a < n; a++) {
      if (logits[off + a] > max) {
        max = logits[off + a];
        best = a;
      }
    }
    if (mode) {
      out[r] = best;
      continue;
    }
    let z = 0;
    for (let a = 0; a < n; a++) z += Math.exp(logits[off + a] - max);
    let u = rng.random() * z;
    let pick = n - 1;
    for (let a = 0; a < n; a++) {
      u -= Math.exp(logits[off + a] - max);
      if (u < 0) {
        pick = a;
        break;
      }
    }
    out[r] = pick;
  }
  return out;
}

/**
 * Samples mean + std * N(0, 1) per element (`mode`: the mean) into `out` [rows * d]; `std` is [d].
 */
export function sampleGaussian(mean: Float32Array, std: Float64Array, rng: Rng, mode: boolean, out: Float32Array): Float32Array {
  const d = std.length;
  for (let i = 0; i < out.length; i++) out[i] = mode ? mean[i] : mean[i] + std[i % d] * rng.normal();
  return out;
}

/**
 * Samples from per-row Gaussians whose parameters come from a two-part head: `params` [rows * 2d]
 * holds, per row, d means then d log-scales (clamped to [LOG_SCALE_MIN, LOG_SCALE_MAX], then exp).
 * `mode`: the means. Writes into `out` [rows * d].
 */
export function sampleGaussianHead(params: Float32Array, d: number, rng: Rng, mode: boolean, out: Float32Array): Float32Array {
  const rows = out.length / d;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < d; i++) {
      const mu = params[r * 2 * d + i];
      if (mode) {
        out[r * d + i] = mu;
        continue;
      }
      const ls = Math.min(Math.max(params[r * 2 * d + d + i], LOG_SCALE_MIN), LOG_SCALE_MAX);
      out[r * d + i] = mu + Math.exp(ls) * rng.normal();
    }
  }
  return out;
}

/** Clips each element of `a` [rows * d] to the box bounds `low`/`high` [d], into `out`. */
export function clipToBox(a: Float32Array, low: Float32Array, high: Float32Array, out: Float32Array): Float32Array {
  const d = low.length;
  for (let i = 0; i < a.length; i++) {
    const j = i % d;
    out[i] = a[i] < low[j] ? low[j] : a[i] > high[j] ? high[j] : a[i];
  }
  return out;
}
