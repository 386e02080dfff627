/**
 * Gymnasium's `MujocoEnv` (1.4.0, v5 envs): one `MjData` on a shared `MjModel`, `frame_skip`
 * physics steps per env step followed by `mj_rnePostConstraint`, resets through `mj_resetData`,
 * the env's noise draws and `mj_forward`. Observations are computed in float64, as Gymnasium
 * returns them (`observation64`), and handed to the `Env` API as float32.
 */
import { Rng } from '@gymlab/random';
import type { Action, Env, EnvInfo, Info, StepResult } from '../core.js';
import { Box } from '../spaces.js';
import { DataViews, compileModel, mujoco, type MjData, type MjModel } from './runtime.js';

/** Seed used when an env is reset for the first time without one (as the classic-control ports). */
const DEFAULT_SEED = 0;

/** What every MuJoCo env is built from. */
export interface MujocoEnvConfig {
  readonly id: string;
  /** MJCF text and where it is from: `BUILT_IN`, or the path given as `xml_file`. */
  readonly mjcf: string;
  readonly source: string;
  readonly frameSkip: number;
  readonly obsSize: number;
  readonly rewardThreshold?: number | null;
}

/** MuJoCo ran out of its 2 GiB wasm heap (one line: how much one env needs). */
export class MujocoMemoryError extends Error {
  override readonly name = 'MujocoMemoryError';

  constructor(id: string) {
    super(
      `env ${id}: the MuJoCo wasm heap (2 GiB) is full; each MuJoCo env takes 13-15 MiB, so use fewer envs per process (env.num_envs)`,
    );
  }
}

export abstract class MujocoEnv implements Env {
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  readonly info: EnvInfo;
  readonly model: MjModel;
  readonly frameSkip: number;
  /** Seconds of simulated time per env step (`timestep * frame_skip`). */
  readonly dt: number;
  /** qpos and qvel of the model's reference configuration (Gymnasium's `init_qpos`, `init_qvel`). */
  readonly initQpos: Float64Array;
  readonly initQvel: Float64Array;
  protected readonly data: MjData;
  protected readonly v: DataViews;
  protected rng: Rng | null = null;
  /** The latest observation in float64. */
  private readonly obs64: Float64Array;
  private ready = false;
  private closed = false;

  protected constructor(config: MujocoEnvConfig) {
    this.model = compileModel(config.mjcf, config.source);
    try {
      this.data = new mujoco.MjData(this.model);
    } catch {
      throw new MujocoMemoryError(config.id);
    }
    this.v = new DataViews(this.data);
    this.frameSkip = config.frameSkip;
    this.dt = (this.model.opt.timestep as number) * config.frameSkip;
    this.initQpos = Float64Array.from(this.v.qpos);
    this.initQvel = Float64Array.from(this.v.qvel);
    this.obs64 = new Float64Array(config.obsSize);
    this.observationSpace = new Box(-Infinity, Infinity, [config.obsSize]);
    const range = this.model.actuator_ctrlrange as Float64Array;
    const nu = this.model.nu;
    this.actionSpace = new Box(
      Array.from({ length: nu }, (_, i) => range[2 * i]),
      Array.from({ length: nu }, (_, i) => range[2 * i + 1]),
      [nu],
    );
    this.info = Object.freeze({ id: config.id, maxEpisodeSteps: null, rewardThreshold: config.rewardThreshold ?? null });
  }

  /** The latest observation (reset or step) in float64, as Gymnasium returns it; overwritten by the next. */
  get observation64(): Float64Array {
    return this.obs64;
  }

  reset(options?: { seed?: number }): [obs: Float32Array, info: Info] {
    this.checkOpen();
    if (options?.seed !== undefined) this.rng = new Rng(options.seed);
    else if (this.rng === null) this.rng = new Rng(DEFAULT_SEED);
    this.v.refresh();
    mujoco.mj_resetData(this.model, this.data);
    this.resetModel(this.rng);
    this.ready = true;
    this.observe(this.obs64);
    return [Float32Array.from(this.obs64), this.resetInfo()];
  }

  step(action: Action): StepResult {
    this.checkOpen();
    if (!this.ready) throw new Error(`${this.info.id}: call reset() before step()`);
    if (!(action instanceof Float32Array) || action.length !== this.model.nu) {
      throw new RangeError(`${this.info.id}: action must be a Float32Array of length ${this.model.nu}`);
    }
    this.v.refresh();
    this.beforeStep();
    this.v.ctrl.set(action);
    for (let i = 0; i < this.frameSkip; i++) mujoco.mj_step(this.model, this.data);
    mujoco.mj_rnePostConstraint(this.model, this.data);
    this.observe(this.obs64);
    const [reward, terminated, info] = this.afterStep(action);
    return [Float32Array.from(this.obs64), reward, terminated, false, info];
  }

  /**
   * Gymnasium's `set_state(qpos, qvel)` after `mj_resetData`: puts the env in that state (as after a
   * reset, time 0) and returns the float64 observation (a view, overwritten by the next step).
   */
  setState(qpos: ArrayLike<number>, qvel: ArrayLike<number>): Float64Array {
    this.checkOpen();
    if (qpos.length !== this.model.nq || qvel.length !== this.model.nv) {
      throw new RangeError(`${this.info.id}: setState needs ${this.model.nq} qpos and ${this.model.nv} qvel values`);
    }
    this.v.refresh();
    mujoco.mj_resetData(this.model, this.data);
    this.applyState(qpos, qvel);
    this.ready = true;
    this.observe(this.obs64);
    return this.obs64;
  }

  /** Copies of the current qpos and qvel. */
  getState(): { qpos: number[]; qvel: number[] } {
    this.v.refresh();
    return { qpos: Array.from(this.v.qpos), qvel: Array.from(this.v.qvel) };
  }

  /** Frees this env's `MjData` (the shared model stays). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.data.delete();
  }

  /** Writes qpos and qvel and runs `mj_forward` (Gymnasium's `set_state`). */
  protected applyState(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    this.v.qpos.set(qpos);
    this.v.qvel.set(qvel);
    mujoco.mj_forward(this.model, this.data);
  }

  /**
   * Gymnasium's `reset_model`: the default adds uniform(-scale, scale) noise to `init_qpos`, then
   * to `init_qvel` (that order of draws), as most v5 envs do.
   */
  protected resetModel(rng: Rng): void {
    this.resetWithNoise(rng, this.resetNoiseScale(), 'uniform');
  }

  /**
   * qpos = init_qpos + uniform(-scale, scale) (numpy's draws), then qvel = init_qvel + uniform
   * noise or scale * standard normal (HalfCheetah, Ant, InvertedDoublePendulum; drawn by gymlab's
   * normal generator, which is not numpy's ziggurat, so those velocities differ from Gymnasium's).
   */
  protected resetWithNoise(rng: Rng, scale: number, qvelNoise: 'uniform' | 'normal'): void {
    const qpos = this.scratchQpos();
    const qvel = this.scratchQvel();
    for (let i = 0; i < qpos.length; i++) qpos[i] = this.initQpos[i] + rng.uniform(-scale, scale);
    for (let i = 0; i < qvel.length; i++) {
      qvel[i] = this.initQvel[i] + (qvelNoise === 'uniform' ? rng.uniform(-scale, scale) : scale * rng.normal());
    }
    this.applyState(qpos, qvel);
  }

  /** The env's `reset_noise_scale` (used by the default `resetModel`). */
  protected resetNoiseScale(): number {
    return 0;
  }

  /** Called before the physics steps (e.g. to remember the position before). */
  protected beforeStep(): void {}

  /** Writes the observation of the current state into `out` (float64). */
  protected abstract observe(out: Float64Array): void;

  /** Reward, termination and info of the step just simulated with `action`. */
  protected abstract afterStep(action: Float32Array): [reward: number, terminated: boolean, info: Info];

  /**
   * The observation of most v5 envs: qpos from index `skip` (the excluded x or x, y positions),
   * then qvel, clipped to +/-`velocityBound` (Hopper, Walker2d: 10). Returns the next free index.
   */
  protected writeQposQvel(out: Float64Array, skip: number, velocityBound = Infinity): number {
    const { qpos, qvel } = this.v;
    let j = 0;
    for (let i = skip; i < qpos.length; i++) out[j++] = qpos[i];
    for (let i = 0; i < qvel.length; i++) out[j++] = Math.min(Math.max(qvel[i], -velocityBound), velocityBound);
    return j;
  }

  /** `x_position`, `y_position` and `distance_from_origin` (numpy's norm) of qpos[0:2]. */
  protected planePositionInfo(): Info {
    const [x, y] = [this.v.qpos[0], this.v.qpos[1]];
    return { x_position: x, y_position: y, distance_from_origin: Math.sqrt(x * x + y * y) };
  }

  /** Gymnasium's `_get_reset_info`. */
  protected resetInfo(): Info {
    return {};
  }

  private qposScratch: Float64Array | null = null;
  private qvelScratch: Float64Array | null = null;

  /** Reused buffers for the reset state. */
  protected scratchQpos(): Float64Array {
    return (this.qposScratch ??= new Float64Array(this.model.nq));
  }

  protected scratchQvel(): Float64Array {
    return (this.qvelScratch ??= new Float64Array(this.model.nv));
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`${this.info.id}: env is closed`);
  }
}
