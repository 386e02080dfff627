/**
 * `Rng`: numpy's `Generator(PCG64(SeedSequence(seed)))`, i.e. `numpy.random.default_rng(seed)`.
 * Every source of randomness in gymlab takes one explicitly: there is no global generator.
 *
 * Equal to numpy, draw for draw: `random`, `uniform`, `integers` (and `int`), `shuffle`,
 * `nextUint32`, `normal` and `standardNormal` (numpy's ziggurat). `deriveSeed` has no numpy
 * counterpart (it is one `nextUint32`).
 */
import { standardNormal } from './normal.js';
import { PCG64 } from './pcg64.js';
import { SeedSequence, type Entropy } from './seed-sequence.js';

/** A seed: numpy's `default_rng` accepts the same (non-negative integers, sequences, a SeedSequence). */
export type Seed = Entropy | SeedSequence;

/**
 * A generator's full state as 9 finite, JSON-safe numbers:
 * `[s0, s1, s2, buffer, i0, i1, i2, 0, 0]`: the 128-bit LCG state in pieces of 48, 48 and 32 bits
 * (lowest first), numpy's uint32 buffer (`2^32 + value` when full, else 0) and the 128-bit
 * increment (the stream) in the same pieces. The last two slots held the Box-Muller spare normal
 * of earlier versions; they are written as 0 and, on `setState`, checked and ignored (numpy's
 * ziggurat keeps nothing between draws), so older checkpoints still load.
 */
export type RngState = readonly number[];

/** Length of {@link RngState}. */
export const RNG_STATE_SIZE = 9;
const TWO_32 = 4294967296;
const MASK_64 = (1n << 64n) - 1n;

export class Rng {
  readonly bitGenerator: PCG64;

  /** numpy's `default_rng(seed)`; or a generator over an existing bit generator. */
  constructor(seed: Seed | PCG64) {
    this.bitGenerator = seed instanceof PCG64 ? seed : new PCG64(seed);
  }

  /** numpy's `Generator.random()`: uniform in [0, 1) with 53 bits. */
  random(): number {
    return this.bitGenerator.nextDouble();
  }

  /** numpy's `Generator.uniform(low, high)`: `low + (high - low) * random()`. */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.bitGenerator.nextDouble();
  }

  /** numpy's buffered `next_uint32`: a uniform 32-bit unsigned integer. */
  nextUint32(): number {
    return this.bitGenerator.nextUint32();
  }

  /**
   * numpy's `Generator.integers(low, high)` (int64, `endpoint=False`): uniform in [low, high), or
   * [0, low) when `high` is omitted. Lemire's method on `next_uint32` when the range fits 32 bits,
   * on `next_uint64` beyond (that wide path uses BigInt); a range of 1 draws nothing.
   */
  integers(low: number, high?: number): number {
    const lo = high === undefined ? 0 : low;
    const hi = high === undefined ? low : high;
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || !(lo < hi) || !Number.isSafeInteger(hi - lo)) {
      throw new RangeError(`Rng.integers: [${lo}, ${hi}) (allowed: safe integers with low < high)`);
    }
    const range = hi - lo - 1;
    if (range === 0) return lo;
    if (range < 0xffffffff) return lo + lemire32(this.bitGenerator, range + 1);
    if (range === 0xffffffff) return lo + this.bitGenerator.nextUint32();
    return lo + lemire64(this.bitGenerator, BigInt(range) + 1n);
  }

  /** Uniform integer in [0, n): `integers(n)`. */
  int(n: number): number {
    return this.integers(n);
  }

  /** numpy's `Generator.standard_normal()`: the 256-layer ziggurat on `next_uint64` (see normal.ts). */
  standardNormal(): number {
    return standardNormal(this.bitGenerator);
  }

  /** numpy's `Generator.normal(loc, scale)`: `loc + scale * standard_normal()`. */
  normal(loc = 0, scale = 1): number {
    return loc + scale * standardNormal(this.bitGenerator);
  }

  /**
   * In-place Fisher-Yates shuffle, numpy's `Generator.shuffle` of a 1-d array: for i = n-1 down
   * to 1 swap a[i] with a[j], j from `random_interval(i)` (masked rejection on `next_uint32`).
   */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = randomInterval(this.bitGenerator, i);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /** A seed for a child generator, drawn from this one (one `nextUint32`). */
  deriveSeed(): number {
    return this.bitGenerator.nextUint32();
  }

  /** The full state (see {@link RngState}), for checkpoints. */
  getState(): RngState {
    return [...this.bitGenerator.toNumbers(), 0, 0];
  }

  /**
   * Restores `getState()` output. A state saved by an earlier version with a Box-Muller spare
   * normal (`state[7] = 1`) loads; the spare is dropped, so the next `normal()` is the ziggurat's.
   */
  setState(state: RngState): void {
    if (state.length !== RNG_STATE_SIZE) {
      throw new RangeError(`Rng.setState: state has ${state.length} numbers (allowed: ${RNG_STATE_SIZE}, as getState() gives)`);
    }
    const [hasSpare, spare] = [state[7], state[8]];
    if (!(hasSpare === 0 || hasSpare === 1) || !Number.isFinite(spare)) {
      throw new RangeError(`Rng.setState: state[7..8] = ${hasSpare}, ${spare} (allowed: 0 or 1, then a finite number)`);
    }
    this.bitGenerator.fromNumbers(state.slice(0, 7));
  }
}

/** numpy's `default_rng(seed)`. */
export function defaultRng(seed: Seed): Rng {
  return new Rng(seed);
}

/** High 32 bits of the 64-bit product of two uint32 values, exact in float64. */
function mulHi32(x: number, y: number): number {
  const a = (x >>> 16) * y;
  const b = (x & 0xffff) * y;
  return Math.floor((a + Math.floor(b / 65536)) / 65536);
}

/** numpy's `buffered_bounded_lemire_uint32`: uniform in [0, rangeExcl), rangeExcl < 2^32. */
function lemire32(bg: PCG64, rangeExcl: number): number {
  let x = bg.nextUint32();
  let leftover = Math.imul(x, rangeExcl) >>> 0;
  if (leftover < rangeExcl) {
    const threshold = (TWO_32 - rangeExcl) % rangeExcl;
    while (leftover < threshold) {
      x = bg.nextUint32();
      leftover = Math.imul(x, rangeExcl) >>> 0;
    }
  }
  return mulHi32(x, rangeExcl);
}

/** numpy's `bounded_lemire_uint64`: uniform in [0, rangeExcl), 2^32 < rangeExcl < 2^64. */
function lemire64(bg: PCG64, rangeExcl: bigint): number {
  let m = bg.nextUint64() * rangeExcl;
  let leftover = m & MASK_64;
  if (leftover < rangeExcl) {
    const threshold = (MASK_64 - (rangeExcl - 1n)) % rangeExcl;
    while (leftover < threshold) {
      m = bg.nextUint64() * rangeExcl;
      leftover = m & MASK_64;
    }
  }
  return Number(m >> 64n);
}

/** numpy's `random_interval(max)` for max < 2^32: masked rejection, uniform in [0, max]. */
function randomInterval(bg: PCG64, max: number): number {
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  mask >>>= 0;
  let value: number;
  while ((value = (bg.nextUint32() & mask) >>> 0) > max);
  return value;
}
