/**
 * Gymnasium's `NormalizeObservation`: each observation coordinate centred by the running mean and
 * scaled by the running standard deviation, `(obs - mean) / sqrt(var + epsilon)`, statistics and
 * result in float32. While `updateRunningMean` is true every observation the env returns is merged
 * into the statistics first (the reset observations too); false freezes them (evaluation).
 *
 * The vector wrapper sees, in one `step`, the true next observations of every sub-env and the
 * first observations of the episodes that just began: it merges the first as one batch (and
 * normalises them), then the second as another. With one sub-env this is exactly Gymnasium's
 * single-env wrapper stepping and then resetting; with several and no episode end, exactly its
 * vector wrapper.
 */
import type { Action, ActionBatch, BoxSpace, Env, Info, StepResult, VectorEnv, VectorStep } from '../core.js';
import { Box } from '../spaces.js';
import { RunningMeanStd } from './running-mean-std.js';
import { VectorWrapper, endedEnvs } from './vector-wrapper.js';
import { Wrapper } from './wrapper.js';

/** Gymnasium's default epsilon under the square root. */
export const NORMALIZE_EPSILON = 1e-8;

export interface NormalizeObservationOptions {
  /** Statistics to use (shared with another wrapper, or restored); default fresh float32 ones. */
  readonly rms?: RunningMeanStd;
  readonly epsilon?: number;
  /** Merge observations into the statistics (default true); false: frozen. */
  readonly updateRunningMean?: boolean;
}

function unboundedLike(space: BoxSpace): BoxSpace {
  return new Box(-Infinity, Infinity, space.shape);
}

function checkedRms(space: BoxSpace, opts: NormalizeObservationOptions): RunningMeanStd {
  const rms = opts.rms ?? new RunningMeanStd(space.size, { dtype: 'float32' });
  if (rms.size !== space.size || rms.scalar) throw new RangeError(`NormalizeObservation: statistics of size ${rms.size}, observations of size ${space.size}`);
  const epsilon = opts.epsilon ?? NORMALIZE_EPSILON;
  if (!(epsilon > 0)) throw new RangeError(`NormalizeObservation: epsilon must be > 0, got ${epsilon}`);
  return rms;
}

/** Normalises the rows `rows` of `x` (row-major, `rms.size` per row) in place, in float32. */
function normalizeRows(x: Float32Array, rms: RunningMeanStd, epsilon: number, rows: readonly number[]): void {
  const f = Math.fround;
  const size = rms.size;
  const eps = f(epsilon);
  const mean = rms.mean;
  const scale = rms.var.map((v) => f(Math.sqrt(f(v + eps))));
  for (const i of rows) {
    for (let j = 0; j < size; j++) x[i * size + j] = f(f(x[i * size + j] - mean[j]) / scale[j]);
  }
}

/** The rows `rows` of `x`, packed. */
function pickRows(x: Float32Array, size: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * size);
  rows.forEach((i, k) => out.set(x.subarray(i * size, (i + 1) * size), k * size));
  return out;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export class VectorNormalizeObservation extends VectorWrapper {
  readonly rms: RunningMeanStd;
  readonly epsilon: number;
  updateRunningMean: boolean;
  private readonly space: BoxSpace;

  constructor(env: VectorEnv, opts: NormalizeObservationOptions = {}) {
    super(env);
    this.rms = checkedRms(env.singleObservationSpace, opts);
    this.epsilon = opts.epsilon ?? NORMALIZE_EPSILON;
    this.updateRunningMean = opts.updateRunningMean ?? true;
    this.space = unboundedLike(env.singleObservationSpace);
  }

  override get singleObservationSpace(): BoxSpace {
    return this.space;
  }

  override reset(options?: { seed?: number }): Float32Array {
    const obs = this.env.reset(options);
    const all = range(this.numEnvs);
    if (this.updateRunningMean) this.rms.update(obs, this.numEnvs, 'float32');
    normalizeRows(obs, this.rms, this.epsilon, all);
    return obs;
  }

  override step(actions: ActionBatch): VectorStep {
    const s = this.env.step(actions);
    const size = this.rms.size;
    const nextObs = Float32Array.from(s.nextObs);
    const obs = Float32Array.from(s.obs);
    if (this.updateRunningMean) this.rms.update(nextObs, this.numEnvs, 'float32');
    normalizeRows(nextObs, this.rms, this.epsilon, range(this.numEnvs));
    const ended = endedEnvs(s);
    if (ended.length > 0 && this.updateRunningMean) this.rms.update(pickRows(obs, size, ended), ended.length, 'float32');
    normalizeRows(obs, this.rms, this.epsilon, ended);
    const endedSet = new Set(ended);
    for (let i = 0; i < this.numEnvs; i++) {
      if (!endedSet.has(i)) obs.set(nextObs.subarray(i * size, (i + 1) * size), i * size);
    }
    return { ...s, nextObs, obs };
  }
}

/** The single-env wrapper (evaluation episodes and `enjoy`, usually frozen on training statistics). */
export class NormalizeObservation extends Wrapper {
  readonly rms: RunningMeanStd;
  readonly epsilon: number;
  updateRunningMean: boolean;
  private readonly space: BoxSpace;

  constructor(env: Env, opts: NormalizeObservationOptions = {}) {
    super(env);
    this.rms = checkedRms(env.observationSpace, opts);
    this.epsilon = opts.epsilon ?? NORMALIZE_EPSILON;
    this.updateRunningMean = opts.updateRunningMean ?? true;
    this.space = unboundedLike(env.observationSpace);
  }

  override get observationSpace(): BoxSpace {
    return this.space;
  }

  private observation(o: Float32Array): Float32Array {
    const out = Float32Array.from(o);
    if (this.updateRunningMean) this.rms.update(out, 1, 'float32');
    normalizeRows(out, this.rms, this.epsilon, [0]);
    return out;
  }

  override reset(options?: { seed?: number }): [obs: Float32Array, info: Info] {
    const [o, info] = this.env.reset(options);
    return [this.observation(o), info];
  }

  override step(action: Action): StepResult {
    const [o, r, te, tr, info] = this.env.step(action);
    return [this.observation(o), r, te, tr, info];
  }
}
