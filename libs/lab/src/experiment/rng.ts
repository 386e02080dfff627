/**
 * Seeded random numbers for the samplers (never `Math.random`): `@gymlab/random`'s `Rng` (numpy's
 * PCG64), one stream per (sampler, trial). A stream is numpy's
 * `default_rng(SeedSequence(baseSeed, spawn_key=(salt, trial)))`, so the values of trial k depend
 * only on the experiment's base seed, k and the history the sampler is shown, never on what was
 * drawn before, and streams of different samplers or trials are independent as numpy spawns them.
 */
import { Rng, SeedSequence } from '@gymlab/random';

/** The generator a sampler draws from. */
export type SearchRng = Rng;

/** Stream salts, so that samplers never share a stream with one another. */
export const STREAM = { random: 0x5a3c_11d1, tpe: 0x7e9a_0b25, grid: 0x6f1d_33c7 } as const;

/** The stream (`baseSeed`, `salt`, `index`); a negative base seed is taken modulo 2^64. */
export function searchStream(baseSeed: number, salt: number, index: number): SearchRng {
  const entropy = BigInt.asUintN(64, BigInt(Math.trunc(baseSeed)));
  return new Rng(new SeedSequence(entropy, { spawnKey: [salt, index] }));
}
