/**
 * SLM Lab's env normalisation, composed: `env.normalize_obs`, `clip_obs`, `normalize_reward`,
 * `clip_reward` become, in SLM Lab v5's order, NormalizeObservation -> ClipObservation ->
 * NormalizeReward -> ClipReward on the training vector env. `NormalizedVectorEnv` holds the
 * running statistics (to save with a checkpoint and restore), freezes them on request, and wraps a
 * single env for evaluation with the same observation transform, frozen. Rewards of evaluation
 * episodes stay raw, as the returns SLM Lab reports are.
 */
import type { Env, VectorEnv } from '../core.js';
import { ClipObservation, clipInPlace, VectorClipObservation, VectorClipReward } from './clip.js';
import { NormalizeObservation, VectorNormalizeObservation } from './normalize-observation.js';
import { VectorNormalizeReward } from './normalize-reward.js';
import { RunningMeanStd, type RunningMeanStdState } from './running-mean-std.js';
import { restoreInner, snapshotNumbers, snapshotOf, type EnvSnapshot, type RestartedEnv } from '../snapshot.js';

export interface NormalizationOptions {
  readonly normalizeObs: boolean;
  /** Bound of `[-clipObs, clipObs]` applied to observations (after normalisation); null: none. */
  readonly clipObs: number | null;
  readonly normalizeReward: boolean;
  /** `[min, max]` applied to rewards (after normalisation); null: none. */
  readonly clipReward: readonly [number, number] | null;
  /** Discount of NormalizeReward's accumulated return. */
  readonly gamma: number;
}

/** The running statistics of a normalised env, as plain data (null: that part is not normalised). */
export interface NormalizationState {
  readonly obs: RunningMeanStdState | null;
  readonly return: RunningMeanStdState | null;
}

/** Whether the options change anything at all. */
export function normalizes(opts: NormalizationOptions): boolean {
  return opts.normalizeObs || opts.normalizeReward || opts.clipObs !== null || opts.clipReward !== null;
}

export class NormalizedVectorEnv {
  /** The wrapped vector env to step. */
  readonly env: VectorEnv;
  readonly options: NormalizationOptions;
  /** Observation statistics (float32); null without `normalizeObs`. */
  readonly obsRms: RunningMeanStd | null;
  /** Statistics of the discounted return; null without `normalizeReward`. */
  readonly returnRms: RunningMeanStd | null;
  private readonly obsWrapper: VectorNormalizeObservation | null;
  private readonly rewardWrapper: VectorNormalizeReward | null;
  /** The unwrapped vector env. */
  private readonly base: VectorEnv;

  constructor(vec: VectorEnv, options: NormalizationOptions) {
    this.options = options;
    this.base = vec;
    let env = vec;
    this.obsWrapper = options.normalizeObs ? new VectorNormalizeObservation(env) : null;
    if (this.obsWrapper) env = this.obsWrapper;
    if (options.clipObs !== null) env = new VectorClipObservation(env, options.clipObs);
    this.rewardWrapper = options.normalizeReward ? new VectorNormalizeReward(env, { gamma: options.gamma }) : null;
    if (this.rewardWrapper) env = this.rewardWrapper;
    if (options.clipReward !== null) env = new VectorClipReward(env, options.clipReward[0], options.clipReward[1]);
    this.env = env;
    this.obsRms = this.obsWrapper?.normalizer.rms ?? null;
    this.returnRms = this.rewardWrapper?.rms ?? null;
  }

  /** Statistics keep updating while true (training); false freezes them. */
  get updating(): boolean {
    return this.obsWrapper?.normalizer.updateRunningMean ?? this.rewardWrapper?.updateRunningMean ?? false;
  }

  set updating(on: boolean) {
    if (this.obsWrapper) this.obsWrapper.normalizer.updateRunningMean = on;
    if (this.rewardWrapper) this.rewardWrapper.updateRunningMean = on;
  }

  getState(): NormalizationState {
    return { obs: this.obsRms?.getState() ?? null, return: this.returnRms?.getState() ?? null };
  }

  /** Restores saved statistics; a part these options normalise must be present (RangeError otherwise). */
  setState(state: NormalizationState): void {
    restore(this.obsRms, state.obs, 'observation');
    restore(this.returnRms, state.return, 'return');
  }

  /**
   * The wrapped vector env's snapshot and the reward wrapper's discounted sums (the statistics
   * themselves are `getState()`'s); null when the vector env has none.
   */
  snapshot(): EnvSnapshot | null {
    const inner = snapshotOf(this.base);
    if (inner === null) return null;
    return { env: inner, rewardSums: this.rewardWrapper === null ? null : Array.from(this.rewardWrapper.accumulated) };
  }

  /** Restores `snapshot()` (statistics go through `setState`). */
  restore(s: EnvSnapshot): void {
    restoreInner(this.base, s.env, 'vector env snapshot.env');
    if (this.rewardWrapper !== null) this.rewardWrapper.restoreAccumulated(snapshotNumbers(s, 'rewardSums', 'vector env snapshot', this.base.numEnvs));
  }

  /**
   * The observations to continue from after `restore`: `saved` (the checkpoint's, already
   * transformed) with the rows of sub-envs the restore started afresh (restart snapshots) replaced
   * by their first observations, transformed as an auto-reset's are (merged into the observation
   * statistics while they update, normalised, clipped).
   */
  resumeObservations(saved: Float32Array): Float32Array {
    const restarts = (this.base as Partial<{ restarted(): readonly RestartedEnv[] }>).restarted?.() ?? [];
    const out = Float32Array.from(saved);
    if (restarts.length === 0) return out;
    const size = this.base.singleObservationSpace.size;
    for (const r of restarts) out.set(r.obs, r.envIndex * size);
    const rows = restarts.map((r) => r.envIndex);
    this.obsWrapper?.normalizer.apply(out, rows);
    if (this.options.clipObs !== null) for (const i of rows) clipInPlace(out.subarray(i * size, (i + 1) * size), this.options.clipObs);
    return out;
  }

  /** `env` with this env's observation transform, statistics shared and never updated by it. */
  wrapEval(env: Env): Env {
    return wrapEvalEnv(env, this.options, this.obsRms);
  }
}

function restore(rms: RunningMeanStd | null, state: RunningMeanStdState | null, what: string): void {
  if (rms === null) return;
  if (state === null) throw new RangeError(`no ${what} statistics to restore`);
  rms.setState(state);
}

/**
 * A single env (evaluation, `enjoy`) with the observation transform of `options`: normalised by
 * `obsRms`, frozen, then clipped. `obsRms` must be given when `options.normalizeObs`.
 */
export function wrapEvalEnv(env: Env, options: NormalizationOptions, obsRms: RunningMeanStd | null): Env {
  let out = env;
  if (options.normalizeObs) {
    if (obsRms === null) throw new RangeError('wrapEvalEnv: normalizeObs needs the observation statistics');
    out = new NormalizeObservation(out, { rms: obsRms, updateRunningMean: false });
  }
  if (options.clipObs !== null) out = new ClipObservation(out, options.clipObs);
  return out;
}

/** Observation statistics rebuilt from saved state (for `wrapEvalEnv` in `enjoy`). */
export function observationStatistics(state: RunningMeanStdState): RunningMeanStd {
  const rms = new RunningMeanStd(state.mean.length, { dtype: 'float32' });
  rms.setState(state);
  return rms;
}
