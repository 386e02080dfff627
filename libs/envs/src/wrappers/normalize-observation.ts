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
import type { ActionBatch, BoxSpace, Env, Observation, VectorEnv, VectorStep } from '../core.js';
import { Box } from '../spaces.js';
import { RunningMeanStd } from './running-mean-std.js';
import { VectorWrapper, endedEnvs } from './vector-wrapper.js';
import { ObservationWrapper } from './wrapper.js';
import { innerSnapshot, restoreInner, snapshotNumber, snapshotNumbers, snapshotPart, type EnvSnapshot, type SnapshotEnv } from '../snapshot.js';

/** Gymnasium's default epsilon under the square root. */
export const NORMALIZE_EPSILON = 1e-8;

export interface NormalizeObservationOptions {
  /** Statistics to use (shared with another wrapper, or restored); default fresh float32 ones. */
  readonly rms?: RunningMeanStd;
  readonly epsilon?: number;
  /** Merge observations into the statistics (default true); false: frozen. */
  readonly updateRunningMean?: boolean;
}

/**
 * The statistics, epsilon and frozen flag both wrappers share: merges observations (while
 * `updateRunningMean`) and normalises them in place, in float32.
 */
export class ObservationNormalizer {
  readonly rms: RunningMeanStd;
  readonly epsilon: number;
  updateRunningMean: boolean;
  /** The observation space after normalisation: unbounded, same shape. */
  readonly space: BoxSpace;

  constructor(space: BoxSpace, opts: NormalizeObservationOptions = {}) {
    this.rms = opts.rms ?? new RunningMeanStd(space.size, { dtype: 'float32' });
    if (this.rms.size !== space.size || this.rms.scalar) throw new RangeError(`NormalizeObservation: statistics of size ${this.rms.size}, observations of size ${space.size}`);
    this.epsilon = opts.epsilon ?? NORMALIZE_EPSILON;
    if (!(this.epsilon > 0)) throw new RangeError(`NormalizeObservation: epsilon must be > 0, got ${this.epsilon}`);
    this.updateRunningMean = opts.updateRunningMean ?? true;
    this.space = new Box(-Infinity, Infinity, space.shape);
  }

  /** Merges the rows `rows` of `x` (row-major) as one batch, then normalises them in place. */
  apply(x: Float32Array, rows: readonly number[]): void {
    if (rows.length === 0) return;
    const size = this.rms.size;
    if (this.updateRunningMean) {
      const all = rows.length * size === x.length;
      this.rms.update(all ? x : pickRows(x, size, rows), rows.length, 'float32');
    }
    const f = Math.fround;
    const eps = f(this.epsilon);
    const mean = this.rms.mean;
    const scale = this.rms.var.map((v) => f(Math.sqrt(f(v + eps))));
    for (const i of rows) {
      for (let j = 0; j < size; j++) x[i * size + j] = f(f(x[i * size + j] - mean[j]) / scale[j]);
    }
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
  readonly normalizer: ObservationNormalizer;

  constructor(env: VectorEnv, opts: NormalizeObservationOptions = {}) {
    super(env);
    this.normalizer = new ObservationNormalizer(env.singleObservationSpace, opts);
  }

  override get singleObservationSpace(): BoxSpace {
    return this.normalizer.space;
  }

  override reset(options?: { seed?: number }): Float32Array {
    const obs = this.env.reset(options);
    this.normalizer.apply(obs, range(this.numEnvs));
    return obs;
  }

  override step(actions: ActionBatch): VectorStep {
    const s = this.env.step(actions);
    const size = this.normalizer.rms.size;
    const nextObs = Float32Array.from(s.nextObs);
    const obs = Float32Array.from(s.obs);
    this.normalizer.apply(nextObs, range(this.numEnvs));
    const ended = endedEnvs(s);
    this.normalizer.apply(obs, ended);
    const endedSet = new Set(ended);
    for (let i = 0; i < this.numEnvs; i++) {
      if (!endedSet.has(i)) obs.set(nextObs.subarray(i * size, (i + 1) * size), i * size);
    }
    return { ...s, nextObs, obs };
  }
}

/** The single-env wrapper (evaluation episodes and `enjoy`, usually frozen on training statistics). */
export class NormalizeObservation extends ObservationWrapper implements SnapshotEnv {
  readonly normalizer: ObservationNormalizer;

  constructor(env: Env, opts: NormalizeObservationOptions = {}) {
    const normalizer = new ObservationNormalizer(env.observationSpace, opts);
    super(env, normalizer.space);
    this.normalizer = normalizer;
  }

  /** The observation normalised in float32 (a float64 one, MuJoCo's, rounded to float32 first). */
  protected override observation(o: Observation): Float32Array {
    const out = Float32Array.from(o);
    this.normalizer.apply(out, [0]);
    return out;
  }

  /** The statistics (shared ones too: restoring them sets the values they already have) and the wrapped env's snapshot. */
  snapshot(): EnvSnapshot {
    const { mean, var: variance, count } = this.normalizer.rms.getState();
    return { rms: { mean, var: variance, count }, env: innerSnapshot(this.env) };
  }

  restore(s: EnvSnapshot): void {
    const where = 'NormalizeObservation snapshot';
    const rms = snapshotPart(s.rms, `${where}.rms`);
    const size = this.normalizer.rms.size;
    const state = { mean: snapshotNumbers(rms, 'mean', `${where}.rms`, size), var: snapshotNumbers(rms, 'var', `${where}.rms`, size), count: snapshotNumber(rms, 'count', `${where}.rms`) };
    restoreInner(this.env, s.env, `${where}.env`);
    this.normalizer.rms.setState(state);
  }
}
