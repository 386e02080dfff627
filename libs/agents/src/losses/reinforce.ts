/**
 * REINFORCE (Williams 1992), Monte-Carlo policy gradient, as SLM Lab v5's reinforce.py computes it:
 *   A_t = standardize(G_t - mean(G))   (centring only with `center_return`; standardised when B > 1)
 *   L   = -policy_loss_coef * mean_t(log pi(a_t|s_t) A_t) - entropy_coef * mean_t(H(pi(.|s_t)))
 * Shapes: B = batch size.
 */
import type { Scalar, Tensor1D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { meanAndSquaredDeviation } from '../algorithms/on-policy-stats.js';

/**
 * Advantages from returns G [B]: G - mean(G) when `centerReturn`, then (x - mean) / (std + 1e-8)
 * with torch's unbiased std when B > 1 (SLM Lab standardises every batch, so centring changes
 * nothing but rounding). Float64 in, float32 out.
 */
export function reinforceAdvantages(returns: ArrayLike<number>, centerReturn: boolean): Float32Array {
  const B = returns.length;
  const x = Float64Array.from(returns);
  if (centerReturn && B > 0) {
    const { mean } = meanAndSquaredDeviation(x, B);
    for (let i = 0; i < B; i++) x[i] -= mean;
  }
  if (B > 1) {
    const { mean, ssd } = meanAndSquaredDeviation(x, B);
    const sd = Math.sqrt(ssd / (B - 1));
    for (let i = 0; i < B; i++) x[i] = (x[i] - mean) / (sd + 1e-8);
  }
  return Float32Array.from(x);
}

export interface ReinforceLossInput {
  /** log pi(a|s) [B], differentiable. */
  readonly logp: Tensor1D;
  /** A [B], fixed. */
  readonly adv: Tensor1D;
  /** H(pi(.|s)) [B], differentiable. */
  readonly entropy: Tensor1D;
  readonly policyLossCoef: number;
  readonly entropyCoef: number;
}

export interface ReinforceLoss {
  /** -mean(log pi(a|s) A) */
  readonly policy: Scalar;
  /** mean(H) */
  readonly entropy: Scalar;
  /** policyLossCoef * policy - entropyCoef * entropy */
  readonly total: Scalar;
}

export function reinforceLoss(tf: Tf, inp: ReinforceLossInput): ReinforceLoss {
  const policy = tf.neg(tf.mean(tf.mul(inp.logp, inp.adv))) as Scalar;
  const entropy = tf.mean(inp.entropy) as Scalar;
  const total = tf.sub(tf.mul(policy, inp.policyLossCoef), tf.mul(entropy, inp.entropyCoef)) as Scalar;
  return { policy, entropy, total };
}
