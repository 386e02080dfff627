/**
 * Shared input of the return functions. Arrays are time-major `[T, N]` (index `t * numEnvs + e`):
 * row t holds the step of every sub-env at time t. A column ends an episode segment at a step that
 * is `terminated` (no bootstrap), `truncated` (bootstrap from `nextValues` of that step), or the last
 * row of the batch (treated as truncated: the rollout was cut there).
 */
export interface StepBatch {
  /** [T * N] rewards r_t. */
  readonly rewards: Float64Array;
  /** [T * N] 1 where s_{t+1} is terminal. */
  readonly terminated: Uint8Array;
  /** [T * N] 1 where the episode was cut by a time limit at this step. */
  readonly truncated: Uint8Array;
  /** N: the number of columns. */
  readonly numEnvs: number;
}

export function checkBatch(b: StepBatch, ...others: (Float64Array | null)[]): number {
  const n = b.rewards.length;
  if (b.numEnvs < 1 || n % b.numEnvs !== 0) throw new Error(`returns: length ${n} is not a multiple of numEnvs ${b.numEnvs}`);
  for (const a of [b.terminated, b.truncated, ...others]) {
    if (a !== null && a.length !== n) throw new Error(`returns: array of length ${a.length}, expected ${n}`);
  }
  return n / b.numEnvs;
}
