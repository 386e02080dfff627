/**
 * Soft Actor-Critic's targets and losses as pure functions on tfjs tensors (Haarnoja et al. 2018,
 * "Soft Actor-Critic Algorithms and Applications"; discrete actions after Christodoulou 2019,
 * "Soft Actor-Critic for Discrete Action Settings", with SLM Lab 5.3's average of the twin critics).
 * Shapes: B = batch size, A = number of discrete actions.
 *
 * Critic targets are computed outside any gradient (tfjs has no stopGradient): pass them into the
 * critic loss as constants. alpha = exp(log_alpha) enters the targets and the policy loss as a
 * number; only the alpha loss differentiates through log_alpha.
 */
import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';

export interface ContinuousTargetInputs {
  /** r [B] */
  readonly reward: Tensor1D;
  /** 1 where the episode terminated (no bootstrap), [B] */
  readonly terminated: Tensor1D;
  /** Target critics at (s', a'), a' ~ pi(.|s'), [B] each */
  readonly nextQ1: Tensor1D;
  readonly nextQ2: Tensor1D;
  /** log pi(a'|s') with the tanh correction, [B] */
  readonly nextLogProb: Tensor1D;
  readonly alpha: number;
  readonly gamma: number;
}

/** y = r + gamma (1 - terminated) (min(Q1'(s', a'), Q2'(s', a')) - alpha log pi(a'|s')), [B]. */
export function sacContinuousTarget(tf: Tf, inp: ContinuousTargetInputs): Tensor1D {
  return tf.tidy(() => {
    const v = tf.sub(tf.minimum(inp.nextQ1, inp.nextQ2), tf.mul(inp.nextLogProb, inp.alpha));
    return tf.add(inp.reward, tf.mul(tf.mul(tf.sub(1, inp.terminated), v), inp.gamma)) as Tensor1D;
  });
}

export interface DiscreteTargetInputs {
  readonly reward: Tensor1D;
  readonly terminated: Tensor1D;
  /** Policy logits at s', [B, A] */
  readonly nextLogits: Tensor2D;
  /** Target critics at s', every action, [B, A] each */
  readonly nextQ1: Tensor2D;
  readonly nextQ2: Tensor2D;
  readonly alpha: number;
  readonly gamma: number;
}

/**
 * y = r + gamma (1 - terminated) sum_a pi(a|s') ((Q1'(s', a) + Q2'(s', a)) / 2 - alpha log pi(a|s')),
 * the exact expectation over actions (SLM Lab averages the twin critics here), [B].
 */
export function sacDiscreteTarget(tf: Tf, inp: DiscreteTargetInputs): Tensor1D {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(inp.nextLogits);
    const avgQ = tf.mul(tf.add(inp.nextQ1, inp.nextQ2), 0.5);
    const v = tf.sum(tf.mul(tf.exp(logp), tf.sub(avgQ, tf.mul(logp, inp.alpha))), 1);
    return tf.add(inp.reward, tf.mul(tf.mul(tf.sub(1, inp.terminated), v), inp.gamma)) as Tensor1D;
  });
}

/** Continuous policy loss mean(alpha log pi(a~|s) - min(Q1(s, a~), Q2(s, a~))), a~ the reparameterised sample. */
export function sacContinuousPolicyLoss(tf: Tf, logProb: Tensor1D, q1: Tensor1D, q2: Tensor1D, alpha: number): Scalar {
  return tf.mean(tf.sub(tf.mul(logProb, alpha), tf.minimum(q1, q2))) as Scalar;
}

/**
 * Discrete policy loss mean_s sum_a pi(a|s) (alpha log pi(a|s) - (Q1(s, a) + Q2(s, a)) / 2), with
 * the critics' values as constants [B, A]; also the policy's mean entropy (a tensor, for the alpha loss).
 */
export function sacDiscretePolicyLoss(tf: Tf, logits: Tensor2D, q1: Tensor2D, q2: Tensor2D, alpha: number): { loss: Scalar; entropy: Scalar } {
  const logp = tf.logSoftmax(logits);
  const p = tf.exp(logp);
  const avgQ = tf.mul(tf.add(q1, q2), 0.5);
  const loss = tf.mean(tf.sum(tf.mul(p, tf.sub(tf.mul(logp, alpha), avgQ)), 1)) as Scalar;
  const entropy = tf.neg(tf.mean(tf.sum(tf.mul(p, logp), 1))) as Scalar;
  return { loss, entropy };
}

/**
 * Continuous alpha loss -mean(exp(log_alpha) (log pi(a~|s) + target_entropy)), log-probs constant:
 * its gradient raises alpha while the policy's entropy (-log pi) is below the target.
 */
export function sacContinuousAlphaLoss(tf: Tf, logAlpha: Tensor1D | Scalar, logProb: Tensor1D, targetEntropy: number): Scalar {
  return tf.neg(tf.mean(tf.mul(tf.exp(logAlpha), tf.add(logProb, targetEntropy)))) as Scalar;
}

/** Discrete alpha loss -exp(log_alpha) (target_entropy - H), H the policy's mean entropy (a constant). */
export function sacDiscreteAlphaLoss(tf: Tf, logAlpha: Tensor1D | Scalar, entropy: number, targetEntropy: number): Scalar {
  return tf.neg(tf.sum(tf.mul(tf.exp(logAlpha), targetEntropy - entropy))) as Scalar;
}

/**
 * SLM Lab's automatic entropy target: -|A| (minus the action dims) for Box actions; for n discrete
 * actions `ratio` x log n (SLM Lab's `entropy_anneal.start_ratio`, 0.6 by default).
 */
export function autoTargetEntropy(action: { kind: 'box'; size: number } | { kind: 'discrete'; n: number }, ratio = 0.6): number {
  return action.kind === 'box' ? -action.size : ratio * Math.log(action.n);
}
