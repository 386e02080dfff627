/**
 * SLM Lab's `ClipObservation` (`np.clip(obs, -bound, bound)`, float32 kept) and Gymnasium's
 * `ClipReward` (`np.clip(reward, min, max)`), for vector envs; `ClipObservation` also for a
 * single env (evaluation, `enjoy`).
 */
import type { ActionBatch, Env, Observation, VectorEnv, VectorStep } from '../core.js';
import { VectorWrapper } from './vector-wrapper.js';
import { ObservationWrapper } from './wrapper.js';
import { innerSnapshot, restoreInner, type EnvSnapshot, type SnapshotEnv } from '../snapshot.js';

function checkBound(bound: number): number {
  if (!(bound > 0) || !Number.isFinite(bound)) throw new RangeError(`ClipObservation: bound must be a positive finite number, got ${bound}`);
  return Math.fround(bound);
}

/** Clips in place (float32: a float32 bound keeps the values float32). */
export function clipInPlace(x: Float32Array, bound: number): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] = Math.min(Math.max(x[i], -bound), bound);
  return x;
}

export class VectorClipObservation extends VectorWrapper {
  readonly bound: number;

  constructor(env: VectorEnv, bound: number) {
    super(env);
    this.bound = checkBound(bound);
  }

  override reset(options?: { seed?: number }): Float32Array {
    return clipInPlace(this.env.reset(options), this.bound);
  }

  override step(actions: ActionBatch): VectorStep {
    const s = this.env.step(actions);
    return { ...s, nextObs: clipInPlace(Float32Array.from(s.nextObs), this.bound), obs: clipInPlace(Float32Array.from(s.obs), this.bound) };
  }
}

export class ClipObservation extends ObservationWrapper implements SnapshotEnv {
  readonly bound: number;

  constructor(env: Env, bound: number) {
    super(env);
    this.bound = checkBound(bound);
  }

  /** The observation clipped in float32 (a float64 one, MuJoCo's, rounded to float32 first). */
  protected override observation(o: Observation): Float32Array {
    return clipInPlace(Float32Array.from(o), this.bound);
  }

  /** Clipping keeps no state: the wrapped env's snapshot. */
  snapshot(): EnvSnapshot {
    return { env: innerSnapshot(this.env) };
  }

  restore(s: EnvSnapshot): void {
    restoreInner(this.env, s.env, 'ClipObservation snapshot.env');
  }
}

export class VectorClipReward extends VectorWrapper {
  constructor(
    env: VectorEnv,
    readonly minReward: number,
    readonly maxReward: number,
  ) {
    super(env);
    if (Number.isNaN(minReward) || Number.isNaN(maxReward) || minReward > maxReward) {
      throw new RangeError(`ClipReward: needs min <= max, got [${minReward}, ${maxReward}]`);
    }
  }

  override step(actions: ActionBatch): VectorStep {
    const s = this.env.step(actions);
    return { ...s, reward: s.reward.map((r) => Math.min(Math.max(r, this.minReward), this.maxReward)) };
  }
}
