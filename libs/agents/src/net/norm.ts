/**
 * Normalisation layers with torch's semantics, on [B, D] inputs:
 * - LayerNorm: y = (x - mean_row) / sqrt(var_row + eps) * weight + bias (biased variance per row).
 * - BatchNorm1d: training: y = (x - mean_batch) / sqrt(var_batch + eps) * weight + bias (biased
 *   variance), and running_mean <- (1 - m) running_mean + m mean_batch, running_var <- (1 - m)
 *   running_var + m var_batch * B / (B - 1) (unbiased); evaluation: the running statistics instead.
 * Weights start at 1, biases at 0, running mean 0 and running variance 1, as in torch.
 */
import type { Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';

export interface NormParams {
  readonly eps: number;
  /** Learnable weight and bias (torch's elementwise_affine / affine). */
  readonly affine: boolean;
}

/** A norm layer's variables: trainable (weight, bias) first, then running statistics. */
export interface NormLayer {
  readonly size: number;
  /** Trainable variables with their name suffixes. */
  readonly trainable: readonly { readonly suffix: string; readonly v: Variable }[];
  /** Non-trainable state (running statistics) with their name suffixes. */
  readonly buffers: readonly { readonly suffix: string; readonly v: Variable }[];
  apply(x: Tensor2D, training: boolean): Tensor2D;
}

function affineVars(tf: Tf, size: number, affine: boolean): { suffix: string; v: Variable }[] {
  if (!affine) return [];
  return [
    { suffix: 'weight', v: tf.tidy(() => tf.variable(tf.ones([size]), true)) },
    { suffix: 'bias', v: tf.tidy(() => tf.variable(tf.zeros([size]), true)) },
  ];
}

function scaleShift(tf: Tf, xhat: Tensor2D, trainable: readonly { v: Variable }[]): Tensor2D {
  if (trainable.length === 0) return xhat;
  return tf.add(tf.mul(xhat, trainable[0].v), trainable[1].v) as Tensor2D;
}

export function layerNorm(tf: Tf, size: number, p: NormParams): NormLayer {
  const trainable = affineVars(tf, size, p.affine);
  return {
    size,
    trainable,
    buffers: [],
    apply(x: Tensor2D): Tensor2D {
      const mean = tf.mean(x, -1, true);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), -1, true);
      return scaleShift(tf, tf.mul(centred, tf.rsqrt(tf.add(variance, p.eps))) as Tensor2D, trainable);
    },
  };
}

export function batchNorm1d(tf: Tf, size: number, p: NormParams & { readonly momentum: number }): NormLayer {
  const trainable = affineVars(tf, size, p.affine);
  const runningMean = tf.tidy(() => tf.variable(tf.zeros([size]), false));
  const runningVar = tf.tidy(() => tf.variable(tf.ones([size]), false));
  const m = p.momentum;
  return {
    size,
    trainable,
    buffers: [
      { suffix: 'running_mean', v: runningMean },
      { suffix: 'running_var', v: runningVar },
    ],
    apply(x: Tensor2D, training: boolean): Tensor2D {
      if (!training) return scaleShift(tf, tf.div(tf.sub(x, runningMean), tf.sqrt(tf.add(runningVar, p.eps))) as Tensor2D, trainable);
      const rows = x.shape[0];
      const mean = tf.mean(x, 0);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), 0);
      // A batch of one row has no unbiased variance (torch refuses it); keep the biased one (0).
      const unbiased = rows > 1 ? rows / (rows - 1) : 1;
      runningMean.assign(tf.add(tf.mul(runningMean, 1 - m), tf.mul(mean, m)));
      runningVar.assign(tf.add(tf.mul(runningVar, 1 - m), tf.mul(variance, m * unbiased)));
      return scaleShift(tf, tf.mul(centred, tf.rsqrt(tf.add(variance, p.eps))) as Tensor2D, trainable);
    },
  };
}
