/**
 * Seeded random numbers for resampling (never `Math.random`), from `@gymlab/random`: numpy's
 * `default_rng(seed)` (PCG64 seeded through SeedSequence). A seed s >= 0 is numpy's
 * `default_rng(s)`; a negative s is taken as its 64-bit two's complement 2^64 + s. The same seed
 * always gives the same sequence; each generator owns its state.
 */
import { Rng } from '@gymlab/random';
import { AnalysisError } from '../errors.js';

/** A generator of uniform numbers in [0, 1). */
export type Uniform = () => number;

/** numpy's `default_rng(seed)` for an integer `seed` (see the module comment for negative seeds). */
export function seededRng(seed: number, fn = 'seededRng'): Rng {
  if (!Number.isSafeInteger(seed)) throw new AnalysisError(`${fn}: seed ${seed} (allowed: an integer)`);
  return new Rng(seed >= 0 ? seed : BigInt.asUintN(64, BigInt(seed)));
}

/** `default_rng(seed).random()` as a function: uniform in [0, 1) with 53 bits. */
export function seededUniform(seed: number): Uniform {
  const rng = seededRng(seed, 'seededUniform');
  return () => rng.random();
}

/** A uniform integer in 0..n-1: floor(u n). */
export function randomIndex(u: Uniform, n: number): number {
  return Math.floor(u() * n);
}
