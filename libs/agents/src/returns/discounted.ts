import { checkBatch, type StepBatch } from './common.js';

export interface DiscountedInput extends StepBatch {
  readonly gamma: number;
  /** [T * N] V(s_{t+1}) to bootstrap truncated / cut segments; null: bootstrap with 0 (Monte Carlo). */
  readonly nextValues: Float64Array | null;
}

/**
 * Discounted returns per column, backwards in time:
 *   G_t = r_t + gamma * (terminated_t ? 0 : end_t ? V(s_{t+1}) : G_{t+1}),  end_t = truncated | t = T-1.
 * Shapes: all [T * N].
 */
export function discountedReturns(input: DiscountedInput): Float64Array {
  const { rewards, terminated, truncated, numEnvs: N, gamma, nextValues } = input;
  const T = checkBatch(input, nextValues);
  const out = new Float64Array(T * N);
  for (let e = 0; e < N; e++) {
    let g = 0;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * N + e;
      let tail: number;
      if (terminated[i] !== 0) tail = 0;
      else if (truncated[i] !== 0 || t === T - 1) tail = nextValues === null ? 0 : nextValues[i];
      else tail = g;
      g = rewards[i] + gamma * tail;
      out[i] = g;
    }
  }
  return out;
}
