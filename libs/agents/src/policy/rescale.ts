/**
 * SLM Lab's `RescaleAction(min_action=-1, max_action=1)` seen from the agent: a policy acting in
 * [-1, 1] (SAC's tanh) drives an env whose Box bounds differ. Dims with finite bounds map
 * u in [-1, 1] to low + (u + 1) (high - low) / 2 and back; unbounded dims pass unchanged.
 */
import type { BoxSpace } from '@gymlab/envs';

export class ActionRescaler {
  private readonly low: Float32Array;
  private readonly high: Float32Array;
  readonly d: number;

  constructor(space: BoxSpace) {
    this.low = space.low;
    this.high = space.high;
    this.d = space.size;
  }

  private bounded(i: number): boolean {
    return Number.isFinite(this.low[i]) && Number.isFinite(this.high[i]);
  }

  /** Env actions from unit actions, [rows * d], in place. */
  toEnv(unit: Float32Array): Float32Array {
    for (let k = 0; k < unit.length; k++) {
      const i = k % this.d;
      if (this.bounded(i)) unit[k] = this.low[i] + ((unit[k] + 1) * (this.high[i] - this.low[i])) / 2;
    }
    return unit;
  }

  /** Unit actions from env actions, [rows * d], into `out`. */
  toUnit(env: ArrayLike<number>, out: Float32Array): Float32Array {
    for (let k = 0; k < env.length; k++) {
      const i = k % this.d;
      const span = this.high[i] - this.low[i];
      out[k] = this.bounded(i) && span > 0 ? (2 * (env[k] - this.low[i])) / span - 1 : env[k];
    }
    return out;
  }
}
