/**
 * The advantage actor-critic loss on plain arrays with its gradient with respect to the net
 * outputs, for nets that backpropagate themselves (the fast CPU path). The same loss as `a2cLoss`
 * (losses/actor-critic.ts), term for term, for any policy that gives per row a log-probability and
 * an entropy (`PpoPolicyGrad`: Categorical, diagonal Gaussian):
 *
 *   policy = -mean_i lp_i A_i
 *   value  = mean_i l(u_i, ret_i),  u_i = V_i, or clip(V_i / s, -10, 10) with normalize_v_targets (s = valueScale)
 *   total  = policyLossCoef policy + valLossCoef value - entropyCoef mean_i H_i
 *
 *   d total / d lp_i = -policyLossCoef A_i / B;   d total / d H_i = -entropyCoef / B;
 *   d total / d V_i  = (valLossCoef / B) l'(u_i - ret_i) du_i/dV_i,  du/dV = 1/s inside [-10, 10], else 0
 * (tfjs's clipByValue passes the gradient on the bounds). Arithmetic in f64; results written to f32 arrays.
 */
import type { LossSpec } from '@gymlab/spec';
import { elementwiseLossGrad, type PpoPolicyGrad } from './ppo-grad.js';

export interface A2cGradInput {
  /** [batch] advantages (normalised), V(s), value targets. */
  readonly adv: Float32Array;
  readonly value: Float32Array;
  readonly ret: Float32Array;
  readonly batch: number;
  readonly policyLossCoef: number;
  readonly valLossCoef: number;
  readonly entropyCoef: number;
  /** Elementwise value loss (torch.nn name); default MSELoss. */
  readonly lossSpec?: LossSpec;
  /** SLM Lab's ReturnNormalizer scale when normalize_v_targets, else null. */
  readonly valueScale: number | null;
}

/** The loss terms as numbers (the same names as `A2cLoss`). */
export interface A2cLossValues {
  readonly policy: number;
  readonly value: number;
  readonly entropy: number;
  readonly total: number;
}

/** The A2C loss terms; the policy writes its own gradients, d total / d V goes to `dValue` [batch]. */
export function a2cLossGrad(x: A2cGradInput, policyGrad: PpoPolicyGrad, dValue: Float32Array): A2cLossValues {
  const B = x.batch;
  const s = x.valueScale;
  let policySum = 0;
  let valueSum = 0;
  let entropySum = 0;
  for (let i = 0; i < B; i++) {
    const logp = policyGrad.forward(i);
    entropySum += policyGrad.entropy;
    policySum -= logp * x.adv[i];
    policyGrad.backward(i, (-x.policyLossCoef * x.adv[i]) / B, -x.entropyCoef / B);

    const raw = x.value[i];
    let u = raw;
    let du = 1;
    if (s !== null) {
      const scaled = raw / s;
      u = Math.min(Math.max(scaled, -10), 10);
      du = scaled >= -10 && scaled <= 10 ? 1 / s : 0;
    }
    const [l, dl] = elementwiseLossGrad(u - x.ret[i], x.lossSpec);
    valueSum += l;
    dValue[i] = (x.valLossCoef / B) * dl * du;
  }
  const policy = policySum / B;
  const value = valueSum / B;
  const entropy = entropySum / B;
  return { policy, value, entropy, total: x.policyLossCoef * policy - x.entropyCoef * entropy + x.valLossCoef * value };
}
