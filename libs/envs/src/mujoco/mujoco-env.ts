/**
 * Gymnasium's `MujocoEnv` (1.4.0, v5 envs): one `MjData` on a shared `MjModel`, `frame_skip`
 * physics steps per env step followed by `mj_rnePostConstraint`, resets through `mj_resetData`,
 * the env's noise draws and `mj_forward`. Observations are float64 (`Float64Array`, an
 * observation space of dtype float64), as Gymnasium returns them.
 *
 * Snapshots are exact: MuJoCo's full integration state (`mj_getState` with mjSTATE_INTEGRATION:
 * time, qpos, qvel, act, history, qacc_warmstart, ctrl, applied forces, equality flags, mocap,
 * userdata, plugin state), plus the body positions a step reads before it simulates (`xpos`,
 * `xipos`: derived values the last `mj_step` left one substep behind, which Ant's and Humanoid's
 * x/y before the step are taken from), the PCG64 generator and the ready flag.
 */
import { Rng } from '@gymlab/random';
import type { Action, Env, EnvInfo, Info, StepResult } from '../core.js';
import { Box } from '../spaces.js';
import { EnvSnapshotError, snapshotFlag, snapshotNumbers, type EnvSnapshot, type SnapshotEnv } from '../snapshot.js';
import { RNG_STATE_SIZE } from '@gymlab/random';
import type { KwargReader } from './kwargs.js';
import { DataViews, bodyId, compileModel, mujocoRuntime, type MainModule, type MjData, type MjModel } from './runtime.js';

/** Seed used when an env is reset for the first time without one (as the classic-control ports). */
const DEFAULT_SEED = 0;

/**
 * What every MuJoCo env is built from, besides its kwargs (`xml_file` and `frame_skip` are read
 * here, with these defaults).
 */
export interface MujocoEnvConfig {
  /** Gymnasium's default `xml_file`: the name of the built-in model (`assets/mujoco/`). */
  readonly xmlFile: string;
  /** Gymnasium's default `frame_skip`. */
  readonly frameSkip: number;
  /** The observation's length, or how to count it from the compiled model (as Gymnasium counts it from `data`). */
  readonly obsSize: number | ((model: MjModel) => number);
  readonly rewardThreshold: number | null;
  /** Gymnasium's default `reset_noise_scale`, for the envs that take it (the default `resetModel` adds that noise). */
  readonly resetNoiseScale?: number;
  /** The reset noise on qvel: uniform(-scale, scale) (the default) or scale * standard normal. */
  readonly qvelNoise?: 'uniform' | 'normal';
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

export abstract class MujocoEnv implements Env, SnapshotEnv {
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  readonly info: EnvInfo;
  readonly model: MjModel;
  /** Where the model is from: `built-in NAME`, or the path given as `xml_file`. */
  readonly source: string;
  readonly frameSkip: number;
  /** Seconds of simulated time per env step (`timestep * frame_skip`). */
  readonly dt: number;
  /** qpos and qvel of the model's reference configuration (Gymnasium's `init_qpos`, `init_qvel`). */
  readonly initQpos: Float64Array;
  readonly initQvel: Float64Array;
  protected readonly data: MjData;
  protected readonly v: DataViews;
  /** The MuJoCo module (loaded by `prepareEnv` before this env was made). */
  private readonly mujoco: MainModule;
  protected rng: Rng | null = null;
  /** `reset_noise_scale` (0 for the envs that do not take it). */
  protected readonly noiseScale: number;
  private readonly qvelNoise: 'uniform' | 'normal';
  /** The latest observation in float64. */
  private readonly obs64: Float64Array;
  private ready = false;
  private closed = false;

  protected constructor(k: KwargReader, config: MujocoEnvConfig) {
    const [mjcf, source] = k.xmlFile(config.xmlFile);
    this.mujoco = mujocoRuntime(source);
    this.model = compileModel(mjcf, source);
    this.source = source;
    this.frameSkip = k.positiveInt('frame_skip', config.frameSkip);
    this.noiseScale = config.resetNoiseScale === undefined ? 0 : k.nonNegative('reset_noise_scale', config.resetNoiseScale);
    this.qvelNoise = config.qvelNoise ?? 'uniform';
    try {
      this.data = new this.mujoco.MjData(this.model);
    } catch {
      throw new MujocoMemoryError(k.id);
    }
    this.v = new DataViews(this.data);
    this.dt = (this.model.opt.timestep as number) * this.frameSkip;
    this.initQpos = Float64Array.from(this.v.qpos);
    this.initQvel = Float64Array.from(this.v.qvel);
    const obsSize = typeof config.obsSize === 'number' ? config.obsSize : config.obsSize(this.model);
    this.obs64 = new Float64Array(obsSize);
    this.observationSpace = new Box(-Infinity, Infinity, [obsSize], 'float64');
    const range = this.model.actuator_ctrlrange as Float64Array;
    const nu = this.model.nu;
    this.actionSpace = new Box(
      Array.from({ length: nu }, (_, i) => range[2 * i]),
      Array.from({ length: nu }, (_, i) => range[2 * i + 1]),
      [nu],
    );
    this.info = Object.freeze({ id: k.id, maxEpisodeSteps: null, rewardThreshold: config.rewardThreshold });
  }

  /** The latest observation (reset or step) in float64, as Gymnasium returns it; overwritten by the next. */
  get observation64(): Float64Array {
    return this.obs64;
  }

  reset(options?: { seed?: number }): [obs: Float64Array, info: Info] {
    this.checkOpen();
    if (options?.seed !== undefined) this.rng = new Rng(options.seed);
    else if (this.rng === null) this.rng = new Rng(DEFAULT_SEED);
    this.v.refresh();
    this.mujoco.mj_resetData(this.model, this.data);
    this.resetModel(this.rng);
    this.ready = true;
    this.observe(this.obs64);
    return [Float64Array.from(this.obs64), this.resetInfo()];
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
    for (let i = 0; i < this.frameSkip; i++) this.mujoco.mj_step(this.model, this.data);
    this.mujoco.mj_rnePostConstraint(this.model, this.data);
    this.observe(this.obs64);
    const [reward, terminated, info] = this.afterStep(action);
    return [Float64Array.from(this.obs64), reward, terminated, false, info];
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
    this.mujoco.mj_resetData(this.model, this.data);
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

  /** The env's whole dynamic state (see the module comment); float64 numbers, exact through JSON. */
  snapshot(): EnvSnapshot {
    this.checkOpen();
    this.v.refresh();
    const sig = this.mujoco.mjtState.mjSTATE_INTEGRATION.value;
    const buf = new this.mujoco.DoubleBuffer(this.mujoco.mj_stateSize(this.model, sig));
    try {
      this.mujoco.mj_getState(this.model, this.data, buf, sig);
      return { state: Array.from(buf.GetView() as Float64Array), xpos: Array.from(this.v.xpos), xipos: Array.from(this.v.xipos), rng: this.rng?.getState() ?? null, ready: this.ready };
    } finally {
      buf.delete();
    }
  }

  /** Puts back a `snapshot()` of an env built the same way; `EnvSnapshotError` naming the part that does not fit. */
  restore(s: EnvSnapshot): void {
    this.checkOpen();
    const where = `${this.info.id} snapshot`;
    const sig = this.mujoco.mjtState.mjSTATE_INTEGRATION.value;
    const state = snapshotNumbers(s, 'state', where, this.mujoco.mj_stateSize(this.model, sig));
    this.v.refresh();
    const xpos = snapshotNumbers(s, 'xpos', where, this.v.xpos.length);
    const xipos = snapshotNumbers(s, 'xipos', where, this.v.xipos.length);
    const rng = s.rng === null ? null : snapshotNumbers(s, 'rng', where, RNG_STATE_SIZE);
    const ready = snapshotFlag(s, 'ready', where);
    if (!state.every(Number.isFinite)) throw new EnvSnapshotError(`${where}.state must be finite numbers`);
    this.mujoco.mj_setState(this.model, this.data, state, sig);
    this.v.xpos.set(xpos);
    this.v.xipos.set(xipos);
    if (rng === null) this.rng = null;
    else (this.rng ??= new Rng(DEFAULT_SEED)).setState(rng);
    this.ready = ready;
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
    this.mujoco.mj_forward(this.model, this.data);
  }

  /**
   * Gymnasium's `reset_model` of most v5 envs: qpos = init_qpos + uniform(-scale, scale), then
   * qvel = init_qvel + uniform noise or scale * standard normal (HalfCheetah, Ant,
   * InvertedDoublePendulum), all numpy's draws (the normal by numpy's ziggurat).
   */
  protected resetModel(rng: Rng): void {
    const scale = this.noiseScale;
    const qpos = this.scratchQpos();
    const qvel = this.scratchQvel();
    for (let i = 0; i < qpos.length; i++) qpos[i] = this.initQpos[i] + rng.uniform(-scale, scale);
    for (let i = 0; i < qvel.length; i++) {
      qvel[i] = this.initQvel[i] + (this.qvelNoise === 'uniform' ? rng.uniform(-scale, scale) : scale * rng.standardNormal());
    }
    this.applyState(qpos, qvel);
  }

  /** Called before the physics steps (e.g. to remember the position before). */
  protected beforeStep(): void {}

  /** Writes the observation of the current state into `out` (float64). */
  protected abstract observe(out: Float64Array): void;

  /** Reward, termination and info of the step just simulated with `action`. */
  protected abstract afterStep(action: Float32Array): [reward: number, terminated: boolean, info: Info];

  /** Index of the model's body `name` (one line naming the model when it has none). */
  protected bodyIndex(name: string): number {
    return bodyId(this.model, name, this.source);
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
