/**
 * Action selection from Q-values, SLM Lab's `policy_util` action policies for discrete actions.
 * Q-values arrive as one flat row-major Float32Array [rows * A] (one data read per `act`), and
 * sampling runs in JS on the agent's seeded Rng, so every backend picks the same actions.
 *
 * - `epsilon_greedy`: with probability epsilon a uniform random action, else argmax Q. SLM Lab
 *   draws one coin for all sub-envs of a vector env; here each row draws its own coin (the usual
 *   per-env epsilon-greedy).
 * - `boltzmann`: sample from softmax(Q / tau), tau = the explore variable.
 * - `random`: uniform.
 * - greedy (eval mode): argmax Q, the lowest index on ties (as torch.argmax).
 */
import type { Rng } from '@gymlab/random';

export type ExplorationPolicy = 'epsilon_greedy' | 'boltzmann' | 'random' | 'greedy';

/** Index of the largest of q[offset .. offset + n), first one on ties. */
export function argmaxRow(q: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  let bestV = q[offset];
  for (let a = 1; a < n; a++) {
    const v = q[offset + a];
    if (v > bestV) {
      bestV = v;
      best = a;
    }
  }
  return best;
}

/**
 * softmax(q_row / tau) into `out` [n], computed stably (max subtracted). q: flat [rows * n].
 * Returns `out`.
 */
export function boltzmannProbs(q: ArrayLike<number>, offset: number, n: number, tau: number, out: Float64Array): Float64Array {
  if (!(tau > 0)) throw new RangeError(`boltzmann temperature must be > 0, got ${tau}`);
  let m = -Infinity;
  for (let a = 0; a < n; a++) m = Math.max(m, q[offset + a] / tau);
  let z = 0;
  for (let a = 0; a < n; a++) {
    const e = Math.exp(q[offset + a] / tau - m);
    out[a] = e;
    z += e;
  }
  for (let a = 0; a < n; a++) out[a] /= z;
  return out;
}

/** Draws an index from probabilities p[0..n) with one uniform draw. */
export function sampleCategorical(p: ArrayLike<number>, n: number, rng: Rng): number {
  const u = rng.random();
  let c = 0;
  for (let a = 0; a < n; a++) {
    c += p[a];
    if (u < c) return a;
  }
  // rounding left u >= sum(p): the last action with positive probability
  for (let a = n - 1; a > 0; a--) if (p[a] > 0) return a;
  return 0;
}

/**
 * Actions for `rows` rows of Q-values q [rows * n] under `policy` with explore variable
 * `exploreVar` (epsilon or tau; unused by greedy and random). Writes into `out` [rows] and returns it.
 * `scratch` must hold n numbers.
 */
export function selectActions(
  policy: ExplorationPolicy,
  q: ArrayLike<number>,
  rows: number,
  n: number,
  exploreVar: number,
  rng: Rng,
  out: Int32Array,
  scratch: Float64Array,
): Int32Array {
  for (let r = 0; r < rows; r++) {
    const off = r * n;
    switch (policy) {
      case 'greedy':
        out[r] = argmaxRow(q, off, n);
        break;
      case 'random':
        out[r] = rng.int(n);
        break;
      case 'epsilon_greedy':
        out[r] = rng.random() < exploreVar ? rng.int(n) : argmaxRow(q, off, n);
        break;
      case 'boltzmann':
        out[r] = sampleCategorical(boltzmannProbs(q, off, n, exploreVar, scratch), n, rng);
        break;
    }
  }
  return out;
}
