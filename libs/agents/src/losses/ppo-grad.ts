/**
 * PPO's loss on plain arrays with its gradient with respect to the net outputs, for nets that
 * backpropagate themselves (the fast CPU path). The same loss as `ppoLoss` (losses/ppo.ts), term
 * for term, for any policy that gives per row a log-probability and an entropy:
 *
 *   r_i = exp(lp_i - oldLogp_i)
 *   policy  = -mean_i min(r_i A_i, clip(r_i, 1 - eps, 1 + eps) A_i)
 *   value   = mean_i l(V_i, ret_i)   (or the max with the clipped V when clipVloss)
 *   total   = policy + valLossCoef value - entropyCoef mean_i H_i
 *
 * with ties resolved as tfjs's minimum/maximum/clip do (the first argument):
 *   d total / d lp_i = -(1/B) r_i A_i when r_i A_i <= clip(r_i) A_i, else 0 (the clipped branch is flat);
 *   d total / d H_i  = -entropyCoef / B;
 *   d total / d V_i  = (valLossCoef / B) l'(V_i - ret_i) on the chosen branch.
 * The policy (`PpoPolicyGrad`) turns the first two into gradients of its own outputs. Arithmetic in
 * f64; results written to f32 arrays.
 */
import type { LossSpec } from '@gymlab/spec';
import { notRegressionLoss } from '../built.js';

/** What PPO's loss needs besides the policy: [batch] arrays each, and the hyperparameters. */
export interface PpoGradInput {
  /** log pi_old(a|s), advantages, V(s), V_old(s), value targets. */
  readonly oldLogp: Float32Array;
  readonly adv: Float32Array;
  readonly value: Float32Array;
  readonly oldValue: Float32Array;
  readonly ret: Float32Array;
  readonly batch: number;
  readonly clipEps: number;
  readonly clipVloss: boolean;
  readonly valLossCoef: number;
  readonly entropyCoef: number;
  /** Elementwise value loss (torch.nn name); default MSELoss. */
  readonly lossSpec?: LossSpec;
}

/** The loss terms as numbers (the same names as `PpoLoss`). */
export interface PpoLossValues {
  readonly policy: number;
  readonly value: number;
  readonly entropy: number;
  readonly total: number;
  readonly approxKl: number;
  readonly clipFraction: number;
}

/** A policy's side of the loss, row by row: its log-probability and entropy, then the chain rule into its outputs. */
export interface PpoPolicyGrad {
  /** Computes row i's log pi(a_i|s_i) (returned) and entropy H_i (in `entropy`), kept for `backward(i, ...)`. */
  forward(i: number): number;
  /** H_i of the last `forward(i)`. */
  readonly entropy: number;
  /** Writes the gradients of row i's outputs from d total / d lp_i and d total / d H_i (after `forward(i)`). */
  backward(i: number, dLogp: number, dEntropy: number): void;
}

/** l(d) and dl/dd of torch's elementwise regression losses, d = prediction - target. */
export function elementwiseLossGrad(d: number, spec?: LossSpec): [number, number] {
  const a = Math.abs(d);
  const sign = d > 0 ? 1 : d < 0 ? -1 : 0;
  switch (spec?.name ?? 'MSELoss') {
    case 'MSELoss':
      return [d * d, 2 * d];
    case 'L1Loss':
      return [a, sign];
    case 'SmoothL1Loss': {
      const beta = spec?.beta ?? 1;
      if (beta === 0 || a >= beta) return [beta === 0 ? a : a - 0.5 * beta, sign];
      return [(0.5 * d * d) / beta, d / beta];
    }
    case 'HuberLoss': {
      const delta = spec?.delta ?? 1;
      return a < delta ? [0.5 * d * d, d] : [delta * (a - 0.5 * delta), delta * sign];
    }
    case 'CrossEntropyLoss':
      return notRegressionLoss('CrossEntropyLoss');
  }
}

/** The PPO loss terms; the policy writes its own gradients, d total / d V goes to `dValue` [batch]. */
export function ppoLossGrad(x: PpoGradInput, policyGrad: PpoPolicyGrad, dValue: Float32Array): PpoLossValues {
  const { batch: B, clipEps: eps } = x;
  let policy = 0;
  let valueSum = 0;
  let entropySum = 0;
  let kl = 0;
  let clipped = 0;
  for (let i = 0; i < B; i++) {
    const logp = policyGrad.forward(i);
    const entropy = policyGrad.entropy;
    const logRatio = logp - x.oldLogp[i];
    const r = Math.exp(logRatio);
    const adv = x.adv[i];
    const s1 = r * adv;
    const s2 = Math.min(Math.max(r, 1 - eps), 1 + eps) * adv;
    policy -= Math.min(s1, s2);
    entropySum += entropy;
    kl += r - 1 - logRatio;
    if (Math.abs(r - 1) > eps) clipped += 1;
    policyGrad.backward(i, s1 <= s2 ? (-r * adv) / B : 0, -x.entropyCoef / B);

    const v = x.value[i];
    let [l, dl] = elementwiseLossGrad(v - x.ret[i], x.lossSpec);
    if (x.clipVloss) {
      const dv = v - x.oldValue[i];
      const vc = x.oldValue[i] + Math.min(Math.max(dv, -eps), eps);
      const [lc, dlc] = elementwiseLossGrad(vc - x.ret[i], x.lossSpec);
      if (lc > l) {
        l = lc;
        dl = dv >= -eps && dv <= eps ? dlc : 0;
      }
    }
    valueSum += l;
    dValue[i] = (x.valLossCoef / B) * dl;
  }
  const mean = (s: number): number => s / B;
  const value = mean(valueSum);
  const entropy = mean(entropySum);
  policy = mean(policy);
  return { policy, value, entropy, total: policy + x.valLossCoef * value - x.entropyCoef * entropy, approxKl: mean(kl), clipFraction: mean(clipped) };
}
