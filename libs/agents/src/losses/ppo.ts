/**
 * PPO's loss (Schulman et al. 2017) as one pure function of tensors, the way the paper writes it.
 */
import type { Scalar, Tensor1D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { LossSpec } from '@gymlab/spec';
import { notRegressionLoss } from '../built.js';

export interface PpoLossInput {
  /** [B] log pi_theta(a|s) under the current policy (differentiable). */
  readonly logp: Tensor1D;
  /** [B] log pi_old(a|s), fixed. */
  readonly oldLogp: Tensor1D;
  /** [B] advantages (already normalised if wanted), fixed. */
  readonly adv: Tensor1D;
  /** [B] V_theta(s) (differentiable). */
  readonly value: Tensor1D;
  /** [B] V_old(s), fixed; used only when `clipVloss`. */
  readonly oldValue: Tensor1D;
  /** [B] value targets (returns), fixed. */
  readonly ret: Tensor1D;
  /** [B] or [1]: policy entropy per row (differentiable). */
  readonly entropy: Tensor1D;
  readonly clipEps: number;
  /** Clip V_theta to V_old +/- clipEps and take the larger loss (as PPO2 / CleanRL). */
  readonly clipVloss: boolean;
  readonly valLossCoef: number;
  readonly entropyCoef: number;
  /** Elementwise value loss (torch.nn name); default MSELoss. */
  readonly lossSpec?: LossSpec;
}

export interface PpoLoss {
  /** -mean(min(r A, clip(r, 1-eps, 1+eps) A)), r = exp(logp - oldLogp). */
  readonly policy: Scalar;
  /** mean(l(V, ret)), or mean(max(l(V, ret), l(V_old + clip(V - V_old, -eps, eps), ret))) when clipped. */
  readonly value: Scalar;
  /** mean(entropy). */
  readonly entropy: Scalar;
  /** policy + valLossCoef * value - entropyCoef * entropy. */
  readonly total: Scalar;
  /** mean((r - 1) - log r): an estimate of KL(pi_old || pi_theta) with low variance (Schulman's k3). A diagnostic. */
  readonly approxKl: Scalar;
  /** Fraction of rows with |r - 1| > clipEps. A diagnostic. */
  readonly clipFraction: Scalar;
}

/** Elementwise torch regression loss l(pred, target) -> [B] (MSE, L1, SmoothL1 with beta, Huber with delta). */
export function elementwiseLoss(tf: Tf, pred: Tensor1D, target: Tensor1D, spec?: LossSpec): Tensor1D {
  const d = tf.sub(pred, target);
  switch (spec?.name ?? 'MSELoss') {
    case 'MSELoss':
      return tf.square(d) as Tensor1D;
    case 'L1Loss':
      return tf.abs(d) as Tensor1D;
    // Both as 0.5 q^2 (/ beta) + (|d| - q) (* delta) with q = min(|d|, threshold): the same values,
    // and no select op, whose condition (a comparison) tfjs cannot differentiate through.
    case 'SmoothL1Loss': {
      const beta = spec?.beta ?? 1;
      const a = tf.abs(d);
      if (beta === 0) return a as Tensor1D;
      const q = tf.minimum(a, beta);
      return tf.add(tf.mul(tf.square(q), 0.5 / beta), tf.sub(a, q)) as Tensor1D;
    }
    case 'HuberLoss': {
      const delta = spec?.delta ?? 1;
      const a = tf.abs(d);
      const q = tf.minimum(a, delta);
      return tf.add(tf.mul(tf.square(q), 0.5), tf.mul(tf.sub(a, q), delta)) as Tensor1D;
    }
    case 'CrossEntropyLoss':
      return notRegressionLoss('CrossEntropyLoss');
  }
}

export function ppoLoss(tf: Tf, x: PpoLossInput): PpoLoss {
  const logRatio = tf.sub(x.logp, x.oldLogp);
  const ratio = tf.exp(logRatio);
  const sur1 = tf.mul(ratio, x.adv);
  const sur2 = tf.mul(tf.clipByValue(ratio, 1 - x.clipEps, 1 + x.clipEps), x.adv);
  const policy = tf.neg(tf.mean(tf.minimum(sur1, sur2))) as Scalar;
  let vl = elementwiseLoss(tf, x.value, x.ret, x.lossSpec);
  if (x.clipVloss) {
    const vClipped = tf.add(x.oldValue, tf.clipByValue(tf.sub(x.value, x.oldValue), -x.clipEps, x.clipEps)) as Tensor1D;
    vl = tf.maximum(vl, elementwiseLoss(tf, vClipped, x.ret, x.lossSpec)) as Tensor1D;
  }
  const value = tf.mean(vl) as Scalar;
  const entropy = tf.mean(x.entropy) as Scalar;
  const total = tf.sub(tf.add(policy, tf.mul(value, x.valLossCoef)), tf.mul(entropy, x.entropyCoef)) as Scalar;
  const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)) as Scalar;
  const clipFraction = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), x.clipEps), 'float32')) as Scalar;
  return { policy, value, entropy, total, approxKl, clipFraction };
}
