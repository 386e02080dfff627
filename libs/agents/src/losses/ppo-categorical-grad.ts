/**
 * PPO's loss for a Categorical policy on plain arrays, with its gradient with respect to the net
 * outputs (the logits and V(s)), for nets that backpropagate themselves (the fast CPU path). The
 * same loss as `ppoLoss` (losses/ppo.ts), term for term:
 *
 *   lp_i = log softmax(z_i)[a_i], r_i = exp(lp_i - oldLogp_i), H_i = -sum_j p_ij log p_ij
 *   policy  = -mean_i min(r_i A_i, clip(r_i, 1 - eps, 1 + eps) A_i)
 *   value   = mean_i l(V_i, ret_i)   (or the max with the clipped V when clipVloss)
 *   total   = policy + valLossCoef value - entropyCoef mean_i H_i
 *
 * Gradients (B rows), with ties resolved as tfjs's minimum/maximum/clip do (the first argument):
 *   d total / d z_ij = w_i ([j = a_i] - p_ij) + (entropyCoef / B) p_ij (log p_ij + H_i),
 *     w_i = -(1/B) r_i A_i when r_i A_i <= clip(r_i) A_i, else 0 (the clipped branch has slope 0);
 *   d total / d V_i = (valLossCoef / B) l'(V_i - ret_i) on the chosen branch.
 * Arithmetic in f64; results written to f32 arrays.
 */
import type { LossSpec } from '@gymlab/spec';

export interface PpoCategoricalInput {
  /** [batch * numActions] logits, row-major. */
  readonly logits: Float32Array;
  /** [batch] action indices. */
  readonly actions: ArrayLike<number>;
  /** [batch] each: log pi_old(a|s), advantages, V(s), V_old(s), value targets. */
  readonly oldLogp: Float32Array;
  readonly adv: Float32Array;
  readonly value: Float32Array;
  readonly oldValue: Float32Array;
  readonly ret: Float32Array;
  readonly batch: number;
  readonly numActions: number;
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
  }
}

/**
 * The PPO loss terms, with d total / d logits written into `dLogits` [batch * numActions] and
 * d total / d V into `dValue` [batch].
 */
export function ppoCategoricalLossGrad(x: PpoCategoricalInput, dLogits: Float32Array, dValue: Float32Array): PpoLossValues {
  const { batch: B, numActions: n, clipEps: eps } = x;
  const p = new Float64Array(n);
  let policy = 0;
  let valueSum = 0;
  let entropySum = 0;
  let kl = 0;
  let clipped = 0;
  for (let i = 0; i < B; i++) {
    // log-softmax of row i
    const z = i * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, x.logits[z + j]);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(x.logits[z + j] - max);
    const lse = max + Math.log(sum);
    let h = 0;
    for (let j = 0; j < n; j++) {
      const logp = x.logits[z + j] - lse;
      p[j] = Math.exp(logp);
      h -= p[j] * logp;
    }
    const a = x.actions[i];
    const logRatio = x.logits[z + a] - lse - x.oldLogp[i];
    const r = Math.exp(logRatio);
    const adv = x.adv[i];
    const s1 = r * adv;
    const s2 = Math.min(Math.max(r, 1 - eps), 1 + eps) * adv;
    policy -= Math.min(s1, s2);
    entropySum += h;
    kl += r - 1 - logRatio;
    if (Math.abs(r - 1) > eps) clipped += 1;
    const w = s1 <= s2 ? (-r * adv) / B : 0;
    for (let j = 0; j < n; j++) {
      const logp = x.logits[z + j] - lse;
      dLogits[z + j] = w * ((j === a ? 1 : 0) - p[j]) + (x.entropyCoef / B) * p[j] * (logp + h);
    }

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
