/**
 * SARSA's on-policy TD target and loss (Rummery & Niranjan 1994; Sutton & Barto 2018, eq. 6.7):
 * Q(s, a) <- r + gamma Q(s', a'), with a' the action the policy took in s'.
 * Shapes: B = batch size, A = number of actions; flat arrays are row-major.
 */
import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '@gymlab/backends';
import { selectQ, type RegressionLoss } from './td.js';

export interface SarsaTargetInputs {
  /** r [B] */
  readonly reward: ArrayLike<number>;
  /** 1 where the transition terminated (no bootstrap), 0 otherwise (a truncated one bootstraps) [B] */
  readonly terminated: ArrayLike<number>;
  /** Q(s', .) [B * A], computed outside the gradient */
  readonly nextQ: ArrayLike<number>;
  /** a' [B], an action index in [0, A) (any index where terminated) */
  readonly nextAction: ArrayLike<number>;
  readonly numActions: number;
  readonly gamma: number;
}

/** y_i = r_i + gamma (1 - terminated_i) Q(s'_i, a'_i) [B], summed in float64. */
export function sarsaTargets(inp: SarsaTargetInputs): Float32Array {
  const B = inp.reward.length;
  const A = inp.numActions;
  const y = new Float32Array(B);
  for (let i = 0; i < B; i++) {
    const bootstrap = inp.terminated[i] !== 0 ? 0 : inp.gamma * inp.nextQ[i * A + inp.nextAction[i]];
    y[i] = inp.reward[i] + bootstrap;
  }
  return y;
}

/** loss(Q(s, a), y): `q` Q(s, .) [B, A], `actionMask` one-hot a [B, A], `targets` y [B] (constants) -> scalar. */
export function sarsaLoss(tf: Tf, q: Tensor2D, actionMask: Tensor2D, targets: Tensor1D, loss: RegressionLoss): Scalar {
  return loss(selectQ(tf, q, actionMask), targets);
}
