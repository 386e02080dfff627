/**
 * Batch Renormalization (Ioffe 2017, "Batch Renormalization: Towards Reducing Minibatch Dependence
 * in Batch-Normalized Models"), as SLM Lab 5.3's BatchRenorm1d (agent/net/batch_renorm.py) runs it
 * in CrossQ's critics, on [B, D] inputs. Training, with the minibatch's mean mu_B and biased
 * variance var_B, sigma_B = sqrt(var_B + eps) and sigma = sqrt(running_var + eps):
 *   t     = min(step / max(warmup_steps, 1), 1)             the warm-up ramp
 *   r_max = 1 + t (r_max_limit - 1),  d_max = t d_max_limit  (t = 0: r = 1, d = 0, plain batch norm)
 *   r     = clip(sigma_B / sigma, 1 / r_max, r_max)          no gradient through r or d
 *   d     = clip((mu_B - running_mean) / sigma, -d_max, d_max)
 *   y     = weight ((x - mu_B) / sigma_B * r + d) + bias
 * then running_mean += momentum (mu_B - running_mean), running_var += momentum (var_B - running_var)
 * (the biased variance, unlike torch's BatchNorm1d) and step += 1. Evaluation: y = weight (x -
 * running_mean) / sigma + bias. Weight starts at 1, bias at 0, running mean 0, running variance 1.
 */
import type { Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { stopGradient } from '../losses/actor-critic.js';
import type { NormLayer } from './norm.js';

export interface BatchRenormParams {
  readonly eps: number;
  readonly momentum: number;
  /** The largest scale correction r after the warm-up (SLM Lab's r_max, default 3). */
  readonly rMax: number;
  /** The largest shift correction |d| after the warm-up (SLM Lab's d_max, default 5). */
  readonly dMax: number;
  /** Training steps over which r_max rises from 1 and d_max from 0 to their limits. */
  readonly warmupSteps: number;
}

export function batchRenorm1d(tf: Tf, size: number, p: BatchRenormParams): NormLayer {
  const weight = tf.tidy(() => tf.variable(tf.ones([size]), true));
  const bias = tf.tidy(() => tf.variable(tf.zeros([size]), true));
  const runningMean = tf.tidy(() => tf.variable(tf.zeros([size]), false));
  const runningVar = tf.tidy(() => tf.variable(tf.ones([size]), false));
  // torch keeps a long scalar; a float32 [1] counts exactly to 2^24, far past any warm-up
  const step: Variable = tf.tidy(() => tf.variable(tf.zeros([1]), false));
  const m = p.momentum;
  const affine = (xhat: Tensor2D): Tensor2D => tf.add(tf.mul(xhat, weight), bias) as Tensor2D;
  return {
    size,
    trainable: [
      { suffix: 'weight', v: weight },
      { suffix: 'bias', v: bias },
    ],
    buffers: [
      { suffix: 'running_mean', v: runningMean },
      { suffix: 'running_var', v: runningVar },
      { suffix: 'step', v: step },
    ],
    apply(x: Tensor2D, training: boolean): Tensor2D {
      const sigma = tf.sqrt(tf.add(runningVar, p.eps));
      if (!training) return affine(tf.div(tf.sub(x, runningMean), sigma) as Tensor2D);
      const mean = tf.mean(x, 0) as Tensor1D;
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), 0) as Tensor1D;
      const sigmaB = tf.sqrt(tf.add(variance, p.eps));
      const t = tf.minimum(tf.div(step, Math.max(p.warmupSteps, 1)), 1);
      const rMax = tf.add(tf.mul(t, p.rMax - 1), 1);
      const dMax = tf.mul(t, p.dMax);
      const r = tf.minimum(tf.maximum(tf.div(stopGradient(tf, sigmaB), sigma), tf.div(1, rMax)), rMax);
      const d = tf.minimum(tf.maximum(tf.div(tf.sub(stopGradient(tf, mean), runningMean), sigma), tf.neg(dMax)), dMax);
      const xhat = tf.add(tf.mul(tf.div(centred, sigmaB), r), d) as Tensor2D;
      runningMean.assign(tf.add(runningMean, tf.mul(tf.sub(mean, runningMean), m)));
      runningVar.assign(tf.add(runningVar, tf.mul(tf.sub(variance, runningVar), m)));
      step.assign(tf.add(step, 1));
      return affine(xhat);
    },
  };
}
