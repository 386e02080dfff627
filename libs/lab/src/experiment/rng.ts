/**
 * Seeded random numbers for the samplers (never `Math.random`). A `SearchRng` wraps
 * `@gymlab/analysis`'s `seededUniform` (a 32-bit Weyl sequence through MurmurHash3's finaliser)
 * and adds normals and integers. Each trial's proposal gets a stream of its own,
 * `streamSeed(baseSeed, salt, trial)`, so the values of trial k depend only on the experiment's
 * base seed, k, and the history the sampler is shown, never on what was drawn before.
 */
import { seededUniform } from '@gymlab/analysis';
import type { Uniform } from '@gymlab/analysis';

/** Stream salts, so that samplers never share a stream with one another. */
export const STREAM = { random: 0x5a3c_11d1, tpe: 0x7e9a_0b25, grid: 0x6f1d_33c7 } as const;

/**
 * A 32-bit seed for the stream (`baseSeed`, `salt`, `index`): MurmurHash3's finaliser f applied as
 * f(f(f(baseSeed mod 2^32) XOR salt) + index mod 2^32). Distinct indices give unrelated streams.
 */
export function streamSeed(baseSeed: number, salt: number, index: number): number {
  const low = Number(BigInt.asUintN(32, BigInt(Math.trunc(baseSeed))));
  const a = fmix32(fmix32(low) ^ salt);
  return fmix32((a + index) >>> 0);
}

function fmix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Uniform, normal and integer draws from one seeded stream. */
export class SearchRng {
  private readonly u: Uniform;

  constructor(seed: number) {
    this.u = seededUniform(seed);
  }

  /** Uniform in [0, 1). */
  random(): number {
    return this.u();
  }

  /** Uniform in [low, high): low + u (high - low). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.u();
  }

  /** Uniform integer in 0..n-1: floor(u n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.u() * n));
  }

  /** Standard normal by Box-Muller: sqrt(-2 ln u1) cos(2 pi u2), with u1 in (0, 1). */
  normal(): number {
    let u1 = 0;
    while (u1 === 0) u1 = this.u();
    const u2 = this.u();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
