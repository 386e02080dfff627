/**
 * Actions an agent chose, brought to the env's bounds in one place, between agent and env: Box
 * actions are clipped elementwise to [low, high] (what SLM Lab does before stepping, and what
 * Gymnasium's `ClipAction` wrapper does); Discrete actions pass through. The agent keeps the raw
 * sample it drew for its memory; only the env sees the clipped one. `rollout` and the lab's Session
 * both step through an `ActionClipper`.
 */
import type { ActionBatch, Space } from './core.js';

/** Clips each element of `a` [rows * d] to `low`/`high` [d] into `out`. */
export function clipToBounds(a: ArrayLike<number>, low: Float32Array, high: Float32Array, out: Float32Array): Float32Array {
  const d = low.length;
  for (let i = 0; i < a.length; i++) {
    const j = i % d;
    const x = a[i];
    out[i] = x < low[j] ? low[j] : x > high[j] ? high[j] : x;
  }
  return out;
}

export class ActionClipper {
  private buffer = new Float32Array(0);

  constructor(private readonly space: Space) {}

  /**
   * The actions to step the env with: Box actions clipped into a buffer this clipper reuses (valid
   * until the next call), Discrete actions unchanged.
   */
  apply(actions: ActionBatch): ActionBatch {
    if (this.space.kind !== 'box') return actions;
    if (this.buffer.length !== actions.length) this.buffer = new Float32Array(actions.length);
    return clipToBounds(actions, this.space.low, this.space.high, this.buffer);
  }
}
