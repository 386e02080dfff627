import { checkBatch, type StepBatch } from './common.js';

export interface GaeInput extends StepBatch {
  /** [T * N] V(s_t). */
  readonly values: Float64Array;
  /** [T * N] V(s_{t+1}) of each step's true next observation (used where not terminated). */
  readonly nextValues: Float64Array;
  readonly gamma: number;
  readonly lam: number;
}

/**
 * Generalized Advantage Estimation (Schulman et al. 2016), per column, backwards in time:
 *   delta_t = r_t + gamma * (1 - terminated_t) * V(s_{t+1}) - V(s_t)
 *   A_t     = delta_t + gamma * lam * (1 - end_t) * A_{t+1},   end_t = terminated | truncated | t = T-1
 * and the value targets `vTargets = A + V(s_t)` (the lambda-returns). Shapes: all [T * N].
 */
export function gae(input: GaeInput): { advantages: Float64Array; vTargets: Float64Array } {
  const { rewards, values, nextValues, terminated, truncated, numEnvs: N, gamma, lam } = input;
  const T = checkBatch(input, values, nextValues);
  const advantages = new Float64Array(T * N);
  const vTargets = new Float64Array(T * N);
  for (let e = 0; e < N; e++) {
    let next = 0;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * N + e;
      const term = terminated[i] !== 0;
      const end = term || truncated[i] !== 0 || t === T - 1;
      const delta = rewards[i] + (term ? 0 : gamma * nextValues[i]) - values[i];
      next = delta + (end ? 0 : gamma * lam * next);
      advantages[i] = next;
      vTargets[i] = next + values[i];
    }
  }
  return { advantages, vTargets };
}
