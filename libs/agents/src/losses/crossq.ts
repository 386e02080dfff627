/**
 * CrossQ's critic values (Bhatt et al., ICLR 2024; SLM Lab 5.3 crossq.py `calc_q_cross`) as pure
 * functions on tfjs tensors: each critic runs once on the joint batch [(s, a); (s', a')] (discrete:
 * [s; s']), so batch (re)normalisation statistics mix current and next samples; the first half is
 * Q_i(s, .), the second half Q_i(s', .) enters the target as a constant (its gradient is cut; the
 * current half's gradient still flows through the shared statistics, as torch's `.detach()` of
 * the second chunk does). The target is SAC's (`sacContinuousTarget` / `sacDiscreteTarget`) on
 * these online values: no target network. Shapes: B batch rows, A discrete actions.
 */
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { stopGradient } from './actor-critic.js';
import { sacContinuousTarget, sacDiscreteTarget } from './sac.js';
import { selectQ } from './td.js';

/** The policy at s' for the target: logits [B, A] (discrete), or a' [B, d] in [-1, 1] with log pi(a'|s') [B]. */
export type NextPolicy = { readonly logits: Tensor2D } | { readonly action: Tensor2D; readonly logProb: Tensor1D };

/** The critics' joint input [2B, ...]: [s; s'] (discrete) or [[s, a]; [s', a']] (continuous). */
export function crossQJointInput(tf: Tf, obs: Tensor2D, action: Tensor2D, nextObs: Tensor2D, next: NextPolicy): Tensor2D {
  if ('logits' in next) return tf.concat([obs, nextObs], 0);
  return tf.concat([tf.concat([obs, action], 1), tf.concat([nextObs, next.action], 1)], 0);
}

export interface CrossQCriticInputs {
  /** r [B] */
  readonly reward: Tensor1D;
  /** 1 where the episode terminated (no bootstrap), [B] */
  readonly terminated: Tensor1D;
  /** The taken actions one-hot [B, A] (discrete; not read for continuous). */
  readonly actionMask: Tensor2D;
  readonly next: NextPolicy;
  readonly alpha: number;
  readonly gamma: number;
}

/**
 * From each critic's output on the joint batch, [2B, A] (discrete) or [2B, 1]: Q_i(s, a) [B],
 * Q_i(s, .) [B, A] (discrete, else null) and the constant target y [B] = r + gamma (1 - terminated)
 * V(s'), V(s') = min_i Q_i(s', a') - alpha log pi(a'|s') (continuous) or sum_a pi(a|s')
 * ((Q1 + Q2)(s', a) / 2 - alpha log pi(a|s')) (discrete).
 */
export function crossQCriticValues(
  tf: Tf,
  q1Joint: Tensor2D,
  q2Joint: Tensor2D,
  inp: CrossQCriticInputs,
): { qa: [Tensor1D, Tensor1D]; all: [Tensor2D, Tensor2D] | null; y: Tensor1D } {
  const B = inp.reward.shape[0];
  const now = (q: Tensor2D): Tensor2D => tf.slice(q, [0, 0], [B, -1]);
  const nextHalf = (q: Tensor2D): Tensor2D => stopGradient(tf, tf.slice(q, [B, 0], [B, -1]));
  const { reward, terminated, alpha, gamma, next } = inp;
  if ('logits' in next) {
    const all: [Tensor2D, Tensor2D] = [now(q1Joint), now(q2Joint)];
    const y = sacDiscreteTarget(tf, { reward, terminated, nextLogits: next.logits, nextQ1: nextHalf(q1Joint), nextQ2: nextHalf(q2Joint), alpha, gamma });
    return { qa: [selectQ(tf, all[0], inp.actionMask), selectQ(tf, all[1], inp.actionMask)], all, y };
  }
  const flat = (q: Tensor2D): Tensor1D => tf.reshape(q, [B]) as Tensor1D;
  const y = sacContinuousTarget(tf, { reward, terminated, nextQ1: flat(nextHalf(q1Joint)), nextQ2: flat(nextHalf(q2Joint)), nextLogProb: next.logProb, alpha, gamma });
  return { qa: [flat(now(q1Joint)), flat(now(q2Joint))], all: null, y };
}
