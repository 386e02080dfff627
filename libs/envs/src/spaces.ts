/**
 * Gymnasium's `Discrete` and `Box` spaces. Bounds are stored as float32, as Gymnasium does for
 * `Box(dtype=np.float32)`; samples draw from an explicit `Rng`.
 */
import type { BoxDType, BoxSpace, DiscreteSpace, Observation } from './core.js';
import type { Rng } from '@gymlab/random';

/** The largest finite float32, Gymnasium's `np.finfo(np.float32).max`. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * An observation as the float32 values agents compute on, SLM Lab's `torch.from_numpy(obs).float()`:
 * a float32 one itself, a float64 one (MuJoCo's) rounded to nearest.
 */
export function toFloat32(obs: Observation): Float32Array {
  return obs instanceof Float32Array ? obs : Float32Array.from(obs);
}

/** Integers `start, start+1, ..., start+n-1`. */
export class Discrete implements DiscreteSpace {
  readonly kind = 'discrete' as const;

  constructor(
    readonly n: number,
    readonly start = 0,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Discrete: n must be a positive integer, got ${n}`);
    if (!Number.isInteger(start)) throw new RangeError(`Discrete: start must be an integer, got ${start}`);
  }

  sample(rng: Rng): number {
    return this.start + rng.int(this.n);
  }

  contains(x: number): boolean {
    return Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}

/**
 * A box in R^shape with per-element float32 bounds (`+/-Infinity` for unbounded).
 * `low` and `high` are a number (broadcast; needs `shape`) or flat arrays of the shape's size.
 * `dtype` is the type of the values an env returns in it (float64: MuJoCo's observations);
 * samples are float32 (gymlab samples action spaces, which are float32).
 */
export class Box implements BoxSpace {
  readonly kind = 'box' as const;
  readonly shape: readonly number[];
  readonly low: Float32Array;
  readonly high: Float32Array;
  readonly size: number;
  readonly dtype: BoxDType;

  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[], dtype: BoxDType = 'float32') {
    this.dtype = dtype;
    const inferred = typeof low !== 'number' ? [low.length] : typeof high !== 'number' ? [high.length] : undefined;
    const shp = shape ?? inferred;
    if (shp === undefined) throw new RangeError('Box: shape is required when low and high are both numbers');
    if (!shp.every((d) => Number.isInteger(d) && d >= 0)) throw new RangeError(`Box: bad shape [${shp.join(', ')}]`);
    this.shape = Object.freeze([...shp]);
    this.size = shp.reduce((a, b) => a * b, 1);
    this.low = toBound(low, this.size, 'low');
    this.high = toBound(high, this.size, 'high');
    for (let i = 0; i < this.size; i++) {
      if (!(this.low[i] <= this.high[i])) {
        throw new RangeError(`Box: low[${i}] = ${this.low[i]} must be <= high[${i}] = ${this.high[i]}`);
      }
    }
  }

  /**
   * Gymnasium's sampling rule per element: uniform on [low, high] when bounded, normal when
   * unbounded on both sides, shifted exponential when bounded on one side.
   */
  sample(rng: Rng): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i];
      const hi = this.high[i];
      const loFinite = Number.isFinite(lo);
      const hiFinite = Number.isFinite(hi);
      let v: number;
      if (loFinite && hiFinite) v = rng.uniform(lo, hi);
      else if (!loFinite && !hiFinite) v = rng.normal();
      else if (loFinite) v = lo - Math.log(1 - rng.random());
      else v = hi + Math.log(1 - rng.random());
      out[i] = Math.min(hi, Math.max(lo, v));
    }
    return out;
  }

  contains(x: Observation): boolean {
    if (x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) {
      const v = x[i];
      if (!(v >= this.low[i] && v <= this.high[i])) return false;
    }
    return true;
  }

  /** Whether every element is bounded on both sides. */
  isBounded(): boolean {
    for (let i = 0; i < this.size; i++) {
      if (!Number.isFinite(this.low[i]) || !Number.isFinite(this.high[i])) return false;
    }
    return true;
  }

  toString(): string {
    return this.dtype === 'float32' ? `Box([${this.shape.join(', ')}])` : `Box([${this.shape.join(', ')}], ${this.dtype})`;
  }
}

function toBound(b: number | ArrayLike<number>, size: number, name: string): Float32Array {
  if (typeof b === 'number') return new Float32Array(size).fill(b);
  if (b.length !== size) throw new RangeError(`Box: ${name} has ${b.length} elements, shape needs ${size}`);
  return Float32Array.from(b);
}

/**
 * Gymnasium's `MultiDiscrete`: one integer per element, element i in `[0, nvec[i])`. Values are
 * flat (row-major for a multi-dimensional `shape`). The Gymnasium bridge maps it; no agent takes it yet.
 */
export class MultiDiscrete {
  readonly kind = 'multi-discrete' as const;
  readonly nvec: readonly number[];
  readonly shape: readonly number[];
  readonly size: number;

  constructor(nvec: readonly number[], shape: readonly number[] = [nvec.length]) {
    if (nvec.length < 1 || !nvec.every((n) => Number.isInteger(n) && n >= 1)) throw new RangeError(`MultiDiscrete: nvec must be positive integers, got [${nvec.join(', ')}]`);
    this.nvec = Object.freeze([...nvec]);
    this.shape = Object.freeze([...shape]);
    this.size = nvec.length;
    if (shape.reduce((a, b) => a * b, 1) !== this.size) throw new RangeError(`MultiDiscrete: shape [${shape.join(', ')}] does not hold ${this.size} elements`);
  }

  sample(rng: Rng): Int32Array {
    return Int32Array.from(this.nvec, (n) => rng.int(n));
  }

  contains(x: ArrayLike<number>): boolean {
    if (x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) if (!Number.isInteger(x[i]) || x[i] < 0 || x[i] >= this.nvec[i]) return false;
    return true;
  }

  toString(): string {
    return `MultiDiscrete([${this.nvec.join(', ')}])`;
  }
}

/** Gymnasium's `MultiBinary`: 0/1 per element of `shape` (flat, row-major). */
export class MultiBinary {
  readonly kind = 'multi-binary' as const;
  readonly shape: readonly number[];
  readonly size: number;

  constructor(shape: readonly number[]) {
    if (shape.length < 1 || !shape.every((d) => Number.isInteger(d) && d >= 1)) throw new RangeError(`MultiBinary: bad shape [${shape.join(', ')}]`);
    this.shape = Object.freeze([...shape]);
    this.size = shape.reduce((a, b) => a * b, 1);
  }

  sample(rng: Rng): Int32Array {
    return Int32Array.from({ length: this.size }, () => rng.int(2));
  }

  contains(x: ArrayLike<number>): boolean {
    if (x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) if (x[i] !== 0 && x[i] !== 1) return false;
    return true;
  }

  toString(): string {
    return `MultiBinary([${this.shape.join(', ')}])`;
  }
}
