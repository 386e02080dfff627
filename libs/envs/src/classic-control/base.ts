/**
 * Shared plumbing of the classic-control ports: seeding, the reset-before-step rule, a float64
 * internal state, float32 observations, and a test-only way to set the state.
 */
import type { Action, BoxSpace, Env, EnvInfo, Info, Space, StepResult } from '../core.js';
import { RNG_STATE_SIZE, Rng } from '@gymlab/random';
import { EnvSnapshotError, snapshotFlag, snapshotNumbers, type EnvSnapshot, type SnapshotEnv } from '../snapshot.js';

/** Info object returned by the ports (they report nothing extra); frozen and shared. */
export const EMPTY_INFO: Info = Object.freeze({});

/** Seed used when an env is reset for the first time without one (no hidden entropy source). */
export const DEFAULT_SEED = 0;

/** An env whose internal physical state can be read and set (fixtures, tests, debugging). */
export interface StatefulEnv extends Env {
  /** A copy of the internal state (layout per env, Gymnasium's `env.unwrapped.state`). */
  getState(): number[];
  /** Puts the env in `state` (as after a reset) and returns the matching observation. */
  setState(state: readonly number[]): Float32Array;
}

export function isStatefulEnv(env: Env): env is StatefulEnv {
  const e = env as Partial<StatefulEnv>;
  return typeof e.getState === 'function' && typeof e.setState === 'function';
}

export abstract class ClassicControlEnv implements StatefulEnv, SnapshotEnv {
  abstract readonly observationSpace: BoxSpace;
  abstract readonly actionSpace: Space;
  readonly info: EnvInfo;
  protected rng: Rng | null = null;
  /** Internal state, float64. */
  protected readonly state: Float64Array;
  private ready = false;

  protected constructor(id: string, stateSize: number, rewardThreshold: number | null) {
    this.info = Object.freeze({ id, maxEpisodeSteps: null, rewardThreshold });
    this.state = new Float64Array(stateSize);
  }

  /** Draws the initial state into `this.state`. */
  protected abstract drawInitialState(rng: Rng): void;
  /** Observation of the current state: by default the state itself as float32. */
  protected observe(): Float32Array {
    return Float32Array.from(this.state);
  }
  /** Advances `this.state`; returns [reward, terminated]. */
  protected abstract advance(action: Action): [reward: number, terminated: boolean];
  /** Clears per-episode bookkeeping (e.g. CartPole's steps beyond termination). */
  protected onEpisodeStart(): void {}

  reset(options?: { seed?: number }): [obs: Float32Array, info: Info] {
    if (options?.seed !== undefined) this.rng = new Rng(options.seed);
    else if (this.rng === null) this.rng = new Rng(DEFAULT_SEED);
    this.drawInitialState(this.rng);
    this.onEpisodeStart();
    this.ready = true;
    return [this.observe(), EMPTY_INFO];
  }

  step(action: Action): StepResult {
    if (!this.ready) throw new Error(`${this.info.id}: call reset() before step()`);
    const [reward, terminated] = this.advance(action);
    return [this.observe(), reward, terminated, false, EMPTY_INFO];
  }

  getState(): number[] {
    return Array.from(this.state);
  }

  setState(state: readonly number[]): Float32Array {
    if (state.length !== this.state.length) {
      throw new RangeError(`${this.info.id}: state needs ${this.state.length} numbers, got ${state.length}`);
    }
    this.state.set(state);
    this.onEpisodeStart();
    this.ready = true;
    return this.observe();
  }

  /** The whole dynamic state: physics state, generator (null before the first reset), ready flag, and `snapshotExtra()`. */
  snapshot(): EnvSnapshot {
    return { state: Array.from(this.state), rng: this.rng?.getState() ?? null, ready: this.ready, extra: this.snapshotExtra() };
  }

  restore(s: EnvSnapshot): void {
    const where = `${this.info.id} snapshot`;
    const state = snapshotNumbers(s, 'state', where, this.state.length);
    const rng = s.rng === null ? null : snapshotNumbers(s, 'rng', where, RNG_STATE_SIZE);
    const ready = snapshotFlag(s, 'ready', where);
    const extra = s.extra;
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) throw new EnvSnapshotError(`${where}.extra must be an object`);
    this.state.set(state);
    if (rng === null) this.rng = null;
    else (this.rng ??= new Rng(DEFAULT_SEED)).setState(rng);
    this.ready = ready;
    this.restoreExtra(extra as EnvSnapshot, where);
  }

  /** Per-episode bookkeeping of a port beyond `state` (e.g. CartPole's steps beyond termination). */
  protected snapshotExtra(): EnvSnapshot {
    return {};
  }

  protected restoreExtra(_extra: EnvSnapshot, _where: string): void {}

  close(): void {
    this.ready = false;
  }
}

/** The discrete action as an integer in [0, n), or a one-line error. */
export function discreteAction(id: string, action: Action, n: number): number {
  if (typeof action !== 'number' || !Number.isInteger(action) || action < 0 || action >= n) {
    throw new RangeError(`${id}: action must be an integer in [0, ${n - 1}], got ${String(action)}`);
  }
  return action;
}

/** The first element of a continuous action, or a one-line error. */
export function scalarAction(id: string, action: Action): number {
  if (typeof action === 'number' || action.length !== 1) {
    throw new RangeError(`${id}: action must be an array of 1 number, got ${String(action)}`);
  }
  return action[0];
}

/** NumPy's `np.clip` for scalars (NaN passes through). */
export function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Python/NumPy float modulo: the result has the sign of the divisor. */
export function pyMod(a: number, b: number): number {
  let r = a % b;
  if (r !== 0 && r < 0 !== b < 0) r += b;
  else if (r === 0) r = b < 0 ? -0 : 0;
  return r;
}
