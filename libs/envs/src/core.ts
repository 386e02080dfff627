/**
 * Gymnasium's environment API in TypeScript. Observations are flat typed arrays (row-major for
 * multi-dimensional spaces) of the observation space's dtype, as Gymnasium returns them:
 * `Float32Array` (classic control, Box2D) or `Float64Array` (MuJoCo). Vector envs hand agents
 * float32 batches, converting once per step as SLM Lab's `torch.from_numpy(obs).float()` does.
 * Discrete actions are integers, continuous actions `Float32Array`s.
 */
import type { Rng } from '@gymlab/random';

export type Info = Record<string, unknown>;

export interface DiscreteSpace {
  readonly kind: 'discrete';
  readonly n: number;
  /** First action's value (Gymnasium's `start`); almost always 0. */
  readonly start: number;
  sample(rng: Rng): number;
  contains(x: number): boolean;
}

/** The element type of a Box's values (Gymnasium's `Box.dtype`). */
export type BoxDType = 'float32' | 'float64';

/** One env's observation: float32 or float64 values, as its observation space's dtype says. */
export type Observation = Float32Array | Float64Array;

export interface BoxSpace {
  readonly kind: 'box';
  readonly shape: readonly number[];
  /** The dtype of the observations (or actions) in this space; samples and bounds are float32 either way. */
  readonly dtype: BoxDType;
  /** Flat bounds, length = product of shape; +/-Infinity for unbounded. */
  readonly low: Float32Array;
  readonly high: Float32Array;
  /** Product of the shape. */
  readonly size: number;
  sample(rng: Rng): Float32Array;
  contains(x: Observation): boolean;
}

export type Space = DiscreteSpace | BoxSpace;
export type Action = number | Float32Array;

/** Registration facts of an env (Gymnasium's `EnvSpec`). */
export interface EnvInfo {
  readonly id: string;
  /** Registered time limit; null: none. */
  readonly maxEpisodeSteps: number | null;
  /** Return at which the env counts as solved; null: none known. */
  readonly rewardThreshold: number | null;
}

export type StepResult = [obs: Observation, reward: number, terminated: boolean, truncated: boolean, info: Info];

export interface Env {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: Space;
  readonly info: EnvInfo;
  /** Starts an episode. A seed re-seeds the env's generator; without one the generator continues. */
  reset(options?: { seed?: number }): [obs: Observation, info: Info];
  step(action: Action): StepResult;
  close(): void;
}

/** One finished episode, as counted by the vector env. */
export interface EpisodeStat {
  readonly envIndex: number;
  readonly return: number;
  readonly length: number;
  readonly terminated: boolean;
}

/**
 * Actions of all sub-envs: discrete as `Int32Array` [numEnvs], continuous as `Float32Array`
 * [numEnvs * actionSize].
 */
export type ActionBatch = Int32Array | Float32Array;

/**
 * One step of a vector env. Auto-reset is explicit: `nextObs` is always the true s_{t+1} of the
 * transition (the final observation for envs whose episode just ended), while `obs` is what to act
 * on next (the first observation of the new episode for those envs). A transition built from
 * (obs_t, action, reward, nextObs, terminated, truncated) therefore never spans two episodes.
 */
export interface VectorStep {
  /** [numEnvs * obsSize] */
  readonly nextObs: Float32Array;
  /** [numEnvs * obsSize] */
  readonly obs: Float32Array;
  readonly reward: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** Episodes that ended at this step. */
  readonly finished: readonly EpisodeStat[];
}

export interface VectorEnv {
  readonly numEnvs: number;
  /** Space of one sub-env. */
  readonly singleObservationSpace: BoxSpace;
  readonly singleActionSpace: Space;
  readonly info: EnvInfo;
  /** Resets every sub-env; sub-env i is seeded with `seed + i`. Returns [numEnvs * obsSize]. */
  reset(options?: { seed?: number }): Float32Array;
  step(actions: ActionBatch): VectorStep;
  close(): void;
}
