/**
 * The advantage actor-critic loss (Mnih et al. 2016, SLM Lab's ActorCritic) as pure functions of
 * tensors:
 *   L = policyLossCoef * -mean(log pi(a|s) * A) - entropyCoef * mean(H[pi(.|s)]) + valLossCoef * mean(l(V(s), R))
 * and self-imitation learning's loss (Oh et al. 2018) on replayed (s, a, R):
 *   L_sil = silPolicyLossCoef * -mean(log pi(a|s) * max(R - V(s), 0)) + silValLossCoef * mean(max(R - V(s), 0)^2) / 2
 */
import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import type { LossSpec } from '@gymlab/spec';
import { elementwiseLoss } from './ppo.js';

export interface A2cLossInput {
  /** [B] log pi_theta(a|s) (differentiable). */
  readonly logp: Tensor1D;
  /** [B] advantages (normalised if wanted), fixed. */
  readonly adv: Tensor1D;
  /** [B] policy entropy per row (differentiable). */
  readonly entropy: Tensor1D;
  /** [B] V_theta(s) (differentiable), on the scale of `ret`. */
  readonly value: Tensor1D;
  /** [B] value targets, fixed. */
  readonly ret: Tensor1D;
  readonly policyLossCoef: number;
  readonly valLossCoef: number;
  readonly entropyCoef: number;
  /** Elementwise value loss (torch.nn name); default MSELoss. */
  readonly lossSpec?: LossSpec;
}

export interface A2cLoss {
  /** -mean(logp * adv). */
  readonly policy: Scalar;
  /** mean(l(value, ret)). */
  readonly value: Scalar;
  /** mean(entropy). */
  readonly entropy: Scalar;
  /** policyLossCoef * policy - entropyCoef * entropy + valLossCoef * value. */
  readonly total: Scalar;
}

export function a2cLoss(tf: Tf, x: A2cLossInput): A2cLoss {
  const policy = tf.neg(tf.mean(tf.mul(x.logp, x.adv))) as Scalar;
  const value = tf.mean(elementwiseLoss(tf, x.value, x.ret, x.lossSpec)) as Scalar;
  const entropy = tf.mean(x.entropy) as Scalar;
  const total = tf.add(tf.sub(tf.mul(policy, x.policyLossCoef), tf.mul(entropy, x.entropyCoef)), tf.mul(value, x.valLossCoef)) as Scalar;
  return { policy, value, entropy, total };
}

export interface SilLossInput {
  /** [B] log pi_theta(a|s) of replayed actions (differentiable). */
  readonly logp: Tensor1D;
  /** [B] V_theta(s) (differentiable). */
  readonly value: Tensor1D;
  /** [B] the discounted returns stored with the transitions, fixed. */
  readonly ret: Tensor1D;
  readonly silPolicyLossCoef: number;
  readonly silValLossCoef: number;
}

export interface SilLoss {
  /** -mean(logp * stop_gradient(max(R - V, 0))). */
  readonly policy: Scalar;
  /** mean(max(R - V, 0)^2) / 2. */
  readonly value: Scalar;
  /** silPolicyLossCoef * policy + silValLossCoef * value. */
  readonly total: Scalar;
}

/** x with a zero gradient (tfjs has no stop_gradient op): the identity forward, zeros backward. */
export function stopGradient<T extends Tensor>(tf: Tf, x: T): T {
  const f = tf.customGrad((t) => ({ value: tf.clone(t as Tensor), gradFunc: (dy: Tensor) => tf.zerosLike(dy) }));
  return f(x) as T;
}

export function silLoss(tf: Tf, x: SilLossInput): SilLoss {
  const clipped = tf.relu(tf.sub(x.ret, x.value));
  const policy = tf.neg(tf.mean(tf.mul(x.logp, stopGradient(tf, clipped)))) as Scalar;
  const value = tf.div(tf.mean(tf.square(clipped)), 2) as Scalar;
  const total = tf.add(tf.mul(policy, x.silPolicyLossCoef), tf.mul(value, x.silValLossCoef)) as Scalar;
  return { policy, value, total };
}
