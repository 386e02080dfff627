/**
 * Soft Actor-Critic's continuous losses on plain arrays with their gradients with respect to the
 * net outputs, for nets that backpropagate themselves (the fast CPU path). The same maths as
 * losses/sac.ts and `SquashedGaussian.rsample`, term for term (B rows, d action dims):
 *
 *   policy net output o_i = [mean_i (d), raw log-scale_i (d)]; ls = clip(raw, -20, 2)
 *   u = mean + exp(ls) n (n the given standard-normal noise), a = tanh(u)
 *   log pi(a|s) = sum_j [-n_j^2 / 2 - ls_j - log(2 pi) / 2] - sum_j 2 (log 2 - u_j - softplus(-2 u_j))
 *   target  y = r + gamma (1 - terminated) (min(Q1', Q2') - alpha log pi(a'|s'))
 *   critic  L_k = mean_i l(Q_k(s_i, a_i) - y_i)          (l: loss_spec, elementwise)
 *   policy  L = mean_i (alpha log pi(a~_i|s_i) - min(Q1, Q2)(s_i, a~_i))
 *   alpha   L = -mean_i exp(log_alpha) (log pi_i + target_entropy)
 *
 * Gradients through the squashed sample (G = dL/da (1 - a^2) + 2 (alpha / B) a):
 *   dL/d mean = G;  dL/d raw = G exp(ls) n - alpha / B inside [-20, 2], 0 outside (clip);
 * the min passes its gradient to Q1 on ties, as tfjs's minimum does. Arithmetic in f64.
 */
import type { LossSpec } from '@gymlab/spec';
import { LOG_SCALE_MAX, LOG_SCALE_MIN } from '../policy/distributions.js';
import { elementwiseLossGrad } from './ppo-grad.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * The reparameterised squashed-Gaussian sample of policy outputs `out` [B * 2d] with noise
 * [B * d]: actions a [B * d] into `action`, log pi(a|s) [B] into `logProb`.
 */
export function squashedSample(out: Float32Array, noise: Float32Array, B: number, d: number, action: Float32Array, logProb: Float32Array): void {
  for (let i = 0; i < B; i++) {
    let lp = 0;
    for (let j = 0; j < d; j++) {
      const ls = Math.min(Math.max(out[i * 2 * d + d + j], LOG_SCALE_MIN), LOG_SCALE_MAX);
      const n = noise[i * d + j];
      const u = out[i * 2 * d + j] + Math.exp(ls) * n;
      action[i * d + j] = Math.tanh(u);
      lp += -0.5 * n * n - ls - HALF_LOG_2PI - 2 * (Math.LN2 - u - softplus(-2 * u));
    }
    logProb[i] = lp;
  }
}

/**
 * dL/d(out) [B * 2d] into `dOut` of a loss that depends on the squashed sample through the actions
 * (dL/da [B * d], `dAction`) and through `logProbCoef` sum_i log pi(a_i|s_i).
 */
export function squashedSampleBackward(out: Float32Array, noise: Float32Array, action: Float32Array, dAction: Float32Array, logProbCoef: number, B: number, d: number, dOut: Float32Array): void {
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < d; j++) {
      const raw = out[i * 2 * d + d + j];
      const a = action[i * d + j];
      const g = dAction[i * d + j] * (1 - a * a) + 2 * logProbCoef * a;
      dOut[i * 2 * d + j] = g;
      const inside = raw >= LOG_SCALE_MIN && raw <= LOG_SCALE_MAX;
      dOut[i * 2 * d + d + j] = inside ? g * Math.exp(raw) * noise[i * d + j] - logProbCoef : 0;
    }
  }
}

/** y = r + gamma (1 - terminated) (min(q1, q2) - alpha logProb), [B] into `y`. */
export function sacContinuousTargetValues(reward: Float32Array, terminated: Float32Array, q1: Float32Array, q2: Float32Array, logProb: Float32Array, alpha: number, gamma: number, B: number, y: Float32Array): void {
  for (let i = 0; i < B; i++) y[i] = reward[i] + gamma * (1 - terminated[i]) * (Math.min(q1[i], q2[i]) - alpha * logProb[i]);
}

/** The critic loss mean_i l(q_i - y_i) (torch mean reduction); dL/dq [B] into `dq`. */
export function criticLossGrad(q: Float32Array, y: Float32Array, B: number, spec: LossSpec, dq: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < B; i++) {
    const [l, g] = elementwiseLossGrad(q[i] - y[i], spec);
    sum += l;
    dq[i] = g / B;
  }
  return sum / B;
}

/** The policy loss mean(alpha logProb - min(q1, q2)); dL/dq1 and dL/dq2 [B] (the chosen twin gets -1/B). */
export function sacPolicyLossGrad(logProb: Float32Array, q1: Float32Array, q2: Float32Array, alpha: number, B: number, dq1: Float32Array, dq2: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < B; i++) {
    const first = q1[i] <= q2[i];
    sum += alpha * logProb[i] - (first ? q1[i] : q2[i]);
    dq1[i] = first ? -1 / B : 0;
    dq2[i] = first ? 0 : -1 / B;
  }
  return sum / B;
}

/** The continuous alpha loss and its derivative with respect to log_alpha. */
export function sacAlphaLossGrad(logAlpha: number, logProb: Float32Array, targetEntropy: number): { loss: number; grad: number } {
  let mean = 0;
  for (let i = 0; i < logProb.length; i++) mean += logProb[i] + targetEntropy;
  mean /= logProb.length;
  const loss = -Math.exp(logAlpha) * mean;
  return { loss, grad: loss };
}

/** log softmax of row `i` of `z` [B * n] into `out` [n] (f64). */
function logSoftmaxRow(z: Float32Array, i: number, n: number, out: Float64Array): void {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, z[i * n + j]);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(z[i * n + j] - max);
  const lse = max + Math.log(sum);
  for (let j = 0; j < n; j++) out[j] = z[i * n + j] - lse;
}

/**
 * Discrete (n actions): y = r + gamma (1 - terminated) sum_a pi(a|s') ((Q1' + Q2') / 2 - alpha log pi(a|s')),
 * from the policy's logits [B * n] and the target critics [B * n] at s'; [B] into `y`.
 */
export function sacDiscreteTargetValues(reward: Float32Array, terminated: Float32Array, logits: Float32Array, q1: Float32Array, q2: Float32Array, alpha: number, gamma: number, B: number, n: number, y: Float32Array): void {
  const lp = new Float64Array(n);
  for (let i = 0; i < B; i++) {
    logSoftmaxRow(logits, i, n, lp);
    let v = 0;
    for (let j = 0; j < n; j++) v += Math.exp(lp[j]) * (0.5 * (q1[i * n + j] + q2[i * n + j]) - alpha * lp[j]);
    y[i] = reward[i] + gamma * (1 - terminated[i]) * v;
  }
}

/**
 * Discrete policy loss mean_i sum_a pi(a|s_i) (alpha log pi(a|s_i) - (Q1 + Q2)(s_i, a) / 2), the
 * critics' values constant; dL/d logits [B * n] into `dLogits`:
 * (1/B) p_ia (h_ia - sum_b p_ib h_ib), h = alpha log p - (Q1 + Q2) / 2. Also the mean entropy.
 */
export function sacDiscretePolicyLossGrad(logits: Float32Array, q1: Float32Array, q2: Float32Array, alpha: number, B: number, n: number, dLogits: Float32Array): { loss: number; entropy: number } {
  const lp = new Float64Array(n);
  const h = new Float64Array(n);
  let loss = 0;
  let entropy = 0;
  for (let i = 0; i < B; i++) {
    logSoftmaxRow(logits, i, n, lp);
    let eh = 0;
    for (let j = 0; j < n; j++) {
      const p = Math.exp(lp[j]);
      h[j] = alpha * lp[j] - 0.5 * (q1[i * n + j] + q2[i * n + j]);
      eh += p * h[j];
      entropy -= p * lp[j];
    }
    loss += eh;
    for (let j = 0; j < n; j++) dLogits[i * n + j] = (Math.exp(lp[j]) * (h[j] - eh)) / B;
  }
  return { loss: loss / B, entropy: entropy / B };
}

/** Discrete alpha loss -exp(log_alpha) (target_entropy - H) and its derivative (the same value). */
export function sacDiscreteAlphaLossGrad(logAlpha: number, entropy: number, targetEntropy: number): { loss: number; grad: number } {
  const loss = -Math.exp(logAlpha) * (targetEntropy - entropy);
  return { loss, grad: loss };
}
