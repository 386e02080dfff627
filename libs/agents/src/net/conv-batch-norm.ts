/**
 * torch's nn.BatchNorm2d on NHWC feature maps: per channel, y = gamma (x - mean) / sqrt(var + eps)
 * + beta. In training the batch's mean and biased variance normalise, and the running statistics
 * move by `momentum` towards the batch mean and the unbiased batch variance; in evaluation the
 * running statistics normalise. torch's defaults: eps 1e-5, momentum 0.1, gamma 1, beta 0,
 * running mean 0 and variance 1.
 */
import type { Tensor, Tensor4D, Variable } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';

const EPS = 1e-5;
const MOMENTUM = 0.1;

export class BatchNorm2d {
  readonly gamma: Variable;
  readonly beta: Variable;
  readonly runningMean: Variable;
  readonly runningVar: Variable;

  constructor(
    private readonly tf: Tf,
    readonly channels: number,
  ) {
    this.gamma = tf.variable(tf.ones([channels]), true);
    this.beta = tf.variable(tf.zeros([channels]), true);
    this.runningMean = tf.variable(tf.zeros([channels]), false);
    this.runningVar = tf.variable(tf.ones([channels]), false);
  }

  /** [B, H, W, C] -> same shape; `training` uses and updates batch statistics. */
  forward(x: Tensor4D, training: boolean): Tensor4D {
    const tf = this.tf;
    if (!training) return this.normalise(x, this.runningMean, this.runningVar);
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const n = x.shape[0] * x.shape[1] * x.shape[2];
    const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
    this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - MOMENTUM), tf.mul(mean, MOMENTUM)));
    this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - MOMENTUM), tf.mul(unbiased, MOMENTUM)));
    return this.normalise(x, mean, variance);
  }

  private normalise(x: Tensor4D, mean: Tensor, variance: Tensor): Tensor4D {
    const tf = this.tf;
    const scale = tf.mul(tf.rsqrt(tf.add(variance, EPS)), this.gamma);
    return tf.add(tf.mul(tf.sub(x, mean), scale), this.beta) as Tensor4D;
  }

  dispose(): void {
    for (const v of [this.gamma, this.beta, this.runningMean, this.runningVar]) v.dispose();
  }
}
