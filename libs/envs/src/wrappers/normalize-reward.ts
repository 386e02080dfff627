/**
 * Gymnasium's `NormalizeReward`: rewards divided by the running standard deviation of a discounted
 * sum of rewards, `reward / sqrt(var + epsilon)` (not centred). Each sub-env keeps
 *   acc <- acc * gamma * (1 - terminated) + reward
 * and every step merges the sub-envs' `acc` into the statistics (unless frozen). As in Gymnasium,
 * `acc` is cleared only by `reset()`, so it carries on across a truncation and restarts from the
 * terminal reward after a termination.
 *
 * `accumulator` is the dtype of `acc`: Gymnasium's single-env wrapper keeps it in float64, its
 * vector wrapper in float32 (SLM Lab uses the first for `num_envs` 1, the second above).
 */
import type { ActionBatch, VectorEnv, VectorStep } from '../core.js';
import { NORMALIZE_EPSILON } from './normalize-observation.js';
import { RunningMeanStd, type FloatDType } from './running-mean-std.js';
import { VectorWrapper } from './vector-wrapper.js';

export interface NormalizeRewardOptions {
  /** Discount of the accumulated return (SLM Lab: the algorithm's gamma); in [0, 1]. */
  readonly gamma: number;
  readonly epsilon?: number;
  /** Dtype of the per-sub-env discounted sums (default float64 for one sub-env, float32 for more). */
  readonly accumulator?: FloatDType;
  /** Statistics to use (restored from a checkpoint); default fresh ones. */
  readonly rms?: RunningMeanStd;
  readonly updateRunningMean?: boolean;
}

export class VectorNormalizeReward extends VectorWrapper {
  readonly rms: RunningMeanStd;
  readonly gamma: number;
  readonly epsilon: number;
  readonly accumulator: FloatDType;
  updateRunningMean: boolean;
  private readonly acc: Float64Array;

  constructor(env: VectorEnv, opts: NormalizeRewardOptions) {
    super(env);
    if (!(opts.gamma >= 0 && opts.gamma <= 1)) throw new RangeError(`NormalizeReward: gamma must be in [0, 1], got ${opts.gamma}`);
    this.epsilon = opts.epsilon ?? NORMALIZE_EPSILON;
    if (!(this.epsilon > 0)) throw new RangeError(`NormalizeReward: epsilon must be > 0, got ${this.epsilon}`);
    this.rms = opts.rms ?? new RunningMeanStd(1, { scalar: true });
    if (!this.rms.scalar) throw new RangeError('NormalizeReward: the return statistics must be scalar');
    this.gamma = opts.gamma;
    this.accumulator = opts.accumulator ?? (env.numEnvs > 1 ? 'float32' : 'float64');
    this.updateRunningMean = opts.updateRunningMean ?? true;
    this.acc = new Float64Array(env.numEnvs);
  }

  /** The discounted sums of the sub-envs (a copy). */
  get accumulated(): Float64Array {
    return Float64Array.from(this.acc);
  }

  /** Continues from saved discounted sums (one per sub-env). */
  restoreAccumulated(sums: readonly number[]): void {
    if (sums.length !== this.acc.length) throw new RangeError(`NormalizeReward: ${sums.length} discounted sums for ${this.acc.length} sub-envs`);
    this.acc.set(sums);
  }

  override reset(options?: { seed?: number }): Float32Array {
    this.acc.fill(0);
    return this.env.reset(options);
  }

  override step(actions: ActionBatch): VectorStep {
    const s = this.env.step(actions);
    const f32 = this.accumulator === 'float32';
    const gamma = f32 ? Math.fround(this.gamma) : this.gamma;
    for (let i = 0; i < this.acc.length; i++) {
      const decayed = f32 ? Math.fround(this.acc[i] * gamma) : this.acc[i] * gamma;
      const next = decayed * (1 - s.terminated[i]) + s.reward[i];
      this.acc[i] = f32 ? Math.fround(next) : next;
    }
    if (this.updateRunningMean) this.rms.update(this.acc, this.acc.length, this.accumulator);
    const scale = Math.sqrt(this.rms.var[0] + this.epsilon);
    const reward = s.reward.map((r) => r / scale);
    return { ...s, reward };
  }
}
