import { checkBatch, type StepBatch } from './common.js';

export interface NStepInput extends StepBatch {
  readonly gamma: number;
  /** Steps of real rewards before bootstrapping (>= 1). */
  readonly n: number;
  /** [T * N] V(s_{t+1}) of each step. */
  readonly nextValues: Float64Array;
}

/**
 * n-step returns per column:
 *   R_t = sum_{k<m} gamma^k r_{t+k} + gamma^m * (terminated_{t+m-1} ? 0 : V(s_{t+m})),
 * with m = min(n, steps to the end of the segment, inclusive). Shapes: all [T * N].
 */
export function nStepReturns(input: NStepInput): Float64Array {
  const { rewards, terminated, truncated, numEnvs: N, gamma, n, nextValues } = input;
  if (!Number.isInteger(n) || n < 1) throw new Error(`returns: n must be a positive integer, got ${n}`);
  const T = checkBatch(input, nextValues);
  const out = new Float64Array(T * N);
  for (let e = 0; e < N; e++) {
    for (let t = 0; t < T; t++) {
      let ret = 0;
      let disc = 1;
      for (let k = 0; k < n; k++) {
        const j = (t + k) * N + e;
        ret += disc * rewards[j];
        disc *= gamma;
        const end = terminated[j] !== 0 || truncated[j] !== 0 || t + k === T - 1;
        if (end || k === n - 1) {
          if (terminated[j] === 0) ret += disc * nextValues[j];
          break;
        }
      }
      out[t * N + e] = ret;
    }
  }
  return out;
}
