/**
 * A small seeded pseudo-random generator for resampling (never `Math.random`): a 32-bit Weyl
 * sequence s_{k+1} = s_k + 0x9E3779B9 (mod 2^32), each state passed through MurmurHash3's 32-bit
 * finaliser (xor-shift 16, multiply 0x85EBCA6B, xor-shift 13, multiply 0xC2B2AE35, xor-shift 16),
 * divided by 2^32. The same seed always gives the same sequence; each generator owns its state.
 * Kept (not numpy's PCG64 of the envs) because every saved bootstrap interval was drawn from it.
 */
import { AnalysisError } from '../errors.js';

/** A generator of uniform numbers in [0, 1). */
export type Uniform = () => number;

/** A generator seeded with an integer `seed` (taken mod 2^32). */
export function seededUniform(seed: number): Uniform {
  if (!Number.isSafeInteger(seed)) throw new AnalysisError(`seededUniform: seed ${seed} (allowed: an integer)`);
  let state = Number(BigInt.asUintN(32, BigInt(seed)));
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
}

/** A uniform integer in 0..n-1: floor(u n). */
export function randomIndex(u: Uniform, n: number): number {
  return Math.floor(u() * n);
}
